import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { TokenRate } from '../../../media/panel/TokenRate';

describe('TokenRate', () => {
  it('counts from the first token, so the wait for it does not count', () => {
    const rate = new TokenRate();
    assert.equal(rate.perSecond(), undefined);
    rate.add(5000);
    assert.equal(rate.perSecond(), undefined);
    for (let i = 1; i <= 10; i++) rate.add(5000 + i * 20);
    assert.equal(rate.perSecond(), 50);
  });

  it('has no rate while all tokens share one instant', () => {
    const rate = new TokenRate();
    rate.add(1);
    rate.add(1);
    assert.equal(rate.perSecond(), undefined);
  });
});
