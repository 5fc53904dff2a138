import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, it, mock } from 'node:test';
import { debounce } from '../../../media/panel/debounce';

describe('debounce', () => {
  beforeEach(() => mock.timers.enable({ apis: ['setTimeout'] }));
  afterEach(() => mock.timers.reset());

  it('calls once, with the last arguments, after calls pause', () => {
    const calls: number[] = [];
    const d = debounce((v: number) => calls.push(v), 150);
    d(1);
    mock.timers.tick(100);
    d(2);
    mock.timers.tick(100);
    d(3);
    assert.deepEqual(calls, []);
    mock.timers.tick(150);
    assert.deepEqual(calls, [3]);
  });

  it('flush runs the pending call now; cancel drops it', () => {
    const calls: number[] = [];
    const d = debounce((v: number) => calls.push(v), 150);
    d(1);
    d.flush();
    assert.deepEqual(calls, [1]);
    d.flush();
    d(2);
    d.cancel();
    mock.timers.tick(500);
    assert.deepEqual(calls, [1]);
  });
});
