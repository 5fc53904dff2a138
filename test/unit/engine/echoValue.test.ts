import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { echoValue, shorten } from '../../../sidecar/engine/echoValue';

describe('echoValue', () => {
  it('keeps small values as they are', () => {
    assert.deepEqual(echoValue({ top_p: 2, stop: ['a', 'b'], on: true, none: null }), { top_p: 2, stop: ['a', 'b'], on: true, none: null });
    assert.equal(echoValue(Number.POSITIVE_INFINITY), 'Infinity');
  });

  it('cuts a 10 MB string to its start and says how long it was', () => {
    const echoed = echoValue('x'.repeat(10_000_000)) as string;
    assert.equal(echoed, `${'x'.repeat(200)}… (10000000 characters)`);
  });

  it('cuts long arrays and wide objects to their first 20 entries', () => {
    assert.deepEqual((echoValue(Array.from({ length: 1000 }, (_, i) => i)) as unknown[]).slice(18), [18, 19, '… 980 more items']);
    const wide = Object.fromEntries(Array.from({ length: 100 }, (_, i) => [`k${i}`, i]));
    const keys = Object.keys(echoValue(wide) as object);
    assert.equal(keys.length, 21);
    assert.equal(keys.at(-1), '…');
  });

  it('stops at 4 levels, so a value nested 100,000 levels deep serialises', () => {
    let deep: unknown = 1;
    for (let i = 0; i < 100_000; i++) deep = [deep];
    assert.equal(JSON.stringify(echoValue(deep)), '[[[["[… 1 items]"]]]]');
    assert.equal(JSON.stringify(echoValue({ a: { b: { c: { d: { e: 1 } } } } })), '{"a":{"b":{"c":{"d":"{…}"}}}}');
  });

  it('keeps a "__proto__" key as a key', () => {
    const echoed = echoValue(JSON.parse('{"__proto__": 1}')) as object;
    assert.deepEqual(Object.keys(echoed), ['__proto__']);
    assert.equal(Object.getPrototypeOf(echoed), Object.prototype);
  });

  it('shorten leaves short text alone', () => {
    assert.equal(shorten('abc', 3), 'abc');
    assert.equal(shorten('abcd', 3), 'abc… (4 characters)');
  });
});
