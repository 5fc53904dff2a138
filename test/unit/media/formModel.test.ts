import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { COMMON_KEYS, buildFormSections, effectiveValue, fieldControl, isSampling } from '../../../media/panel/formModel';
import { configFieldInfo } from '../../../sidecar/engine/config/configFieldInfo';
import type { ConfigFieldInfo } from '../../../sidecar/protocol';

const fields: readonly ConfigFieldInfo[] = configFieldInfo;
const byKey = (key: string): ConfigFieldInfo => fields.find((f) => f.key === key)!;

describe('buildFormSections', () => {
  const sections = buildFormSections(fields);

  it('puts the common fields first, open, in the order people tune them', () => {
    assert.equal(sections[0]!.id, 'common');
    assert.equal(sections[0]!.open, true);
    assert.deepEqual(
      sections[0]!.fields.map((f) => f.info.key),
      COMMON_KEYS,
    );
  });

  it('places every field exactly once, the rest under their group, collapsed', () => {
    const placed = sections.flatMap((s) => s.fields.map((f) => f.info.key));
    assert.deepEqual([...placed].sort(), fields.map((f) => f.key).sort());
    for (const section of sections.slice(1)) {
      assert.equal(section.open, false);
      for (const field of section.fields) assert.equal(field.info.group, section.id);
    }
  });

  it('keeps the sidecar order inside a group and skips empty groups', () => {
    const length = sections.find((s) => s.id === 'length')!;
    assert.deepEqual(
      length.fields.map((f) => f.info.key),
      fields.filter((f) => f.group === 'length' && !COMMON_KEYS.includes(f.key)).map((f) => f.key),
    );
    assert.deepEqual(buildFormSections([byKey('seed')]).map((s) => s.id), ['output']);
  });
});

describe('fieldControl', () => {
  it('picks the input from kind and range', () => {
    assert.equal(fieldControl(byKey('do_sample')), 'checkbox');
    assert.equal(fieldControl(byKey('temperature')), 'slider');
    assert.equal(fieldControl(byKey('top_k')), 'slider');
    assert.equal(fieldControl(byKey('max_new_tokens')), 'slider');
    assert.equal(fieldControl(byKey('early_stopping')), 'select');
    assert.equal(fieldControl(byKey('stop_strings')), 'json');
    assert.equal(fieldControl(byKey('assistant_model')), 'text');
  });

  it('gives integers with huge ranges a plain number input (a slider pixel would skip thousands)', () => {
    assert.equal(fieldControl(byKey('seed')), 'number');
    assert.equal(fieldControl(byKey('max_length')), 'number');
    assert.equal(fieldControl(byKey('forced_bos_token_id')), 'number');
  });
});

describe('effectiveValue / isSampling', () => {
  it('reads the config, else the default', () => {
    assert.equal(effectiveValue({ temperature: 0.3 }, byKey('temperature')), 0.3);
    assert.equal(effectiveValue({}, byKey('temperature')), 1);
    assert.equal(effectiveValue({}, byKey('min_p')), null);
  });

  it('is sampling only when do_sample is true', () => {
    assert.equal(isSampling({ do_sample: true }), true);
    assert.equal(isSampling({}), false);
    assert.equal(isSampling({ do_sample: 'yes' }), false);
  });
});
