import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { CrashPolicy } from '../../../extension/sidecar/CrashPolicy';

function clock(start = 0) {
  let t = start;
  return { now: () => t, advance: (ms: number) => void (t += ms) };
}

describe('CrashPolicy', () => {
  it('doubles the delay after each crash, up to the cap', () => {
    const c = clock();
    const policy = new CrashPolicy({ now: c.now, maxCrashes: 100, maxDelayMs: 8000 });
    const delays = [];
    for (let i = 0; i < 6; i++) {
      const d = policy.crashed();
      assert.equal(d.action, 'restart');
      if (d.action === 'restart') delays.push(d.delayMs);
      c.advance(100);
    }
    assert.deepEqual(delays, [1000, 2000, 4000, 8000, 8000, 8000]);
  });

  it('gives up on the 5th crash within 3 minutes', () => {
    const c = clock(1_000_000);
    const policy = new CrashPolicy({ now: c.now });
    for (let i = 1; i <= 4; i++) {
      assert.deepEqual(policy.crashed(), { action: 'restart', delayMs: 1000 * 2 ** (i - 1), crashesInWindow: i });
      c.advance(30_000);
    }
    assert.deepEqual(policy.crashed(), { action: 'give-up', crashesInWindow: 5 });
  });

  it('forgets crashes older than the window', () => {
    const c = clock();
    const policy = new CrashPolicy({ now: c.now });
    for (let i = 0; i < 4; i++) {
      policy.crashed();
      c.advance(50_000); // crashes at 0, 50, 100, 150 s
    }
    // At 200 s the crash at 0 s has left the 180 s window: 4 in the window, not 5.
    assert.deepEqual(policy.crashed(), { action: 'restart', delayMs: 8000, crashesInWindow: 4 });
    c.advance(180_000);
    // Everything before has aged out: the backoff starts over.
    assert.deepEqual(policy.crashed(), { action: 'restart', delayMs: 1000, crashesInWindow: 1 });
  });

  it('reset starts over (a manual restart)', () => {
    const c = clock();
    const policy = new CrashPolicy({ now: c.now });
    for (let i = 0; i < 5; i++) policy.crashed();
    policy.reset();
    assert.deepEqual(policy.crashed(), { action: 'restart', delayMs: 1000, crashesInWindow: 1 });
  });

  it('rejects options that cannot work, naming them', () => {
    assert.throws(() => new CrashPolicy({ maxCrashes: 0 }), /maxCrashes = 0/);
    assert.throws(() => new CrashPolicy({ initialDelayMs: 5000, maxDelayMs: 1000 }), /maxDelayMs = 1000/);
  });
});
