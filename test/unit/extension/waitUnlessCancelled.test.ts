import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, it, mock } from 'node:test';
import { waitUnlessCancelled, type CancellationTokenLike } from '../../../extension/completions/waitUnlessCancelled';

class FakeToken implements CancellationTokenLike {
  isCancellationRequested = false;
  listeners = new Set<() => void>();
  onCancellationRequested(listener: () => void) {
    this.listeners.add(listener);
    return { dispose: () => void this.listeners.delete(listener) };
  }
  cancel() {
    this.isCancellationRequested = true;
    for (const l of [...this.listeners]) l();
  }
}

describe('waitUnlessCancelled', () => {
  beforeEach(() => mock.timers.enable({ apis: ['setTimeout'] }));
  afterEach(() => mock.timers.reset());

  it('resolves true after the wait when nothing cancels', async () => {
    const token = new FakeToken();
    let settled: boolean | undefined;
    const done = waitUnlessCancelled(150, token).then((v) => (settled = v));
    mock.timers.tick(149);
    await Promise.resolve();
    assert.equal(settled, undefined);
    mock.timers.tick(1);
    assert.equal(await done, true);
    assert.equal(token.listeners.size, 0, 'the cancellation listener is disposed');
  });

  it('resolves false at once when cancelled during the wait (the next keystroke)', async () => {
    const token = new FakeToken();
    const done = waitUnlessCancelled(150, token);
    mock.timers.tick(50);
    token.cancel();
    assert.equal(await done, false);
    assert.equal(token.listeners.size, 0);
  });

  it('a burst of keystrokes lets only the last one through', async () => {
    const tokens = [new FakeToken(), new FakeToken(), new FakeToken()];
    const results: Promise<boolean>[] = [];
    for (const token of tokens) {
      results.push(waitUnlessCancelled(150, token));
      mock.timers.tick(40);
      if (token !== tokens.at(-1)) token.cancel();
    }
    mock.timers.tick(150);
    assert.deepEqual(await Promise.all(results), [false, false, true]);
  });

  it('an already-cancelled token and a zero wait answer without a timer', async () => {
    const cancelled = new FakeToken();
    cancelled.cancel();
    assert.equal(await waitUnlessCancelled(150, cancelled), false);
    assert.equal(await waitUnlessCancelled(0, new FakeToken()), true);
  });
});
