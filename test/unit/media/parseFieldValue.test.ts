import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { describeDefault, describeRange, formatFieldValue, parseFieldValue } from '../../../media/panel/parseFieldValue';
import { sliderBounds } from '../../../media/panel/sliderBounds';
import { configFieldInfo } from '../../../sidecar/engine/config/configFieldInfo';
import type { ConfigFieldInfo } from '../../../sidecar/protocol';

const byKey = (key: string): ConfigFieldInfo => configFieldInfo.find((f) => f.key === key)!;

describe('parseFieldValue', () => {
  it('checks exclusive and inclusive bounds as the sidecar does', () => {
    const temperature = byKey('temperature'); // > 0; the slider stops at 2, the sidecar does not
    assert.deepEqual(parseFieldValue(temperature, '0'), { ok: false, message: 'temperature must be > 0' });
    assert.deepEqual(parseFieldValue(temperature, '2'), { ok: true, value: 2, unset: false });
    assert.deepEqual(parseFieldValue(temperature, '10'), { ok: true, value: 10, unset: false });
    assert.deepEqual(parseFieldValue(temperature, ' 0.7 '), { ok: true, value: 0.7, unset: false });
    assert.deepEqual(parseFieldValue(byKey('top_p'), '2'), { ok: false, message: 'top_p must be > 0 and ≤ 1' });
    assert.deepEqual(parseFieldValue(byKey('num_return_sequences'), '257'), { ok: false, message: 'num_return_sequences must be ≥ 1 and ≤ 256' });
    assert.deepEqual(parseFieldValue(byKey('max_new_tokens'), '1e20'), { ok: false, message: 'max_new_tokens must be ≤ 9007199254740991' });
    const epsilon = byKey('epsilon_cutoff'); // [0, 1)
    assert.equal(parseFieldValue(epsilon, '0').ok, true);
    assert.equal(parseFieldValue(epsilon, '1').ok, false);
  });

  it('takes whole numbers only for integers, and rejects text', () => {
    assert.deepEqual(parseFieldValue(byKey('top_k'), '2.5'), { ok: false, message: 'top_k must be a whole number' });
    assert.deepEqual(parseFieldValue(byKey('top_k'), 'abc'), { ok: false, message: 'top_k must be a number' });
    assert.deepEqual(parseFieldValue(byKey('top_k'), '40'), { ok: true, value: 40, unset: false });
  });

  it('reads an empty input as unset', () => {
    for (const key of ['temperature', 'max_new_tokens', 'stop_strings', 'assistant_model']) assert.deepEqual(parseFieldValue(byKey(key), '  '), { ok: true, value: undefined, unset: true });
  });

  it('parses JSON fields, and names the field when the JSON is broken', () => {
    assert.deepEqual(parseFieldValue(byKey('stop_strings'), '["\\n\\n", "def "]'), { ok: true, value: ['\n\n', 'def '], unset: false });
    assert.deepEqual(parseFieldValue(byKey('stop_strings'), 'null'), { ok: true, value: undefined, unset: true });
    const broken = parseFieldValue(byKey('bad_words_ids'), '[[1, 2]');
    assert.equal(broken.ok, false);
    assert.match(broken.ok ? '' : broken.message, /^bad_words_ids is not valid JSON/);
  });

  it('maps enum options back to their values', () => {
    const early = byKey('early_stopping');
    assert.deepEqual(parseFieldValue(early, 'false'), { ok: true, value: false, unset: false });
    assert.deepEqual(parseFieldValue(early, '"never"'), { ok: true, value: 'never', unset: false });
    assert.deepEqual(parseFieldValue(early, 'never'), { ok: true, value: 'never', unset: false });
    assert.equal(parseFieldValue(early, 'sometimes').ok, false);
  });

  it('takes booleans from checkboxes', () => {
    assert.deepEqual(parseFieldValue(byKey('do_sample'), true), { ok: true, value: true, unset: false });
    assert.equal(parseFieldValue(byKey('temperature'), true).ok, false);
  });

  it('accepts both ends of every slider, for every field with a slider', () => {
    for (const info of configFieldInfo.filter((f) => (f.sliderMin ?? f.min) !== undefined && (f.sliderMax ?? f.max) !== undefined)) {
      const { min, max } = sliderBounds(info);
      assert.equal(parseFieldValue(info, String(min)).ok, true, `${info.key} slider min ${min}`);
      assert.equal(parseFieldValue(info, String(max)).ok, true, `${info.key} slider max ${max}`);
    }
  });
});

describe('formatting', () => {
  it('shows unset as empty and JSON as JSON', () => {
    assert.equal(formatFieldValue(byKey('min_p'), null), '');
    assert.equal(formatFieldValue(byKey('temperature'), 0.5), '0.5');
    assert.equal(formatFieldValue(byKey('stop_strings'), ['\n']), '["\\n"]');
    assert.equal(formatFieldValue(byKey('early_stopping'), 'never'), '"never"');
  });

  it('describes defaults and ranges', () => {
    assert.equal(describeDefault(byKey('temperature')), 'default: 1');
    assert.equal(describeDefault(byKey('max_new_tokens')), 'default: unset');
    assert.equal(describeRange(byKey('temperature')), '> 0');
    assert.equal(describeRange(byKey('top_p')), '> 0 and ≤ 1');
    assert.equal(describeRange(byKey('epsilon_cutoff')), '≥ 0 and < 1');
    assert.equal(describeRange(byKey('forced_bos_token_id')), '≥ 0');
    assert.equal(describeRange(byKey('stop_strings')), '');
  });
});
