import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { configFieldInfo } from '../../../../sidecar/engine/config/configFieldInfo';
import { ALL_MODES, generationConfigEntries, generationConfigFields, type ConfigField } from '../../../../sidecar/engine/config/generationConfigFields';
import { generationConfigSchema } from '../../../../sidecar/engine/config/generationConfigSchema';
import { mergeConfig } from '../../../../sidecar/engine/config/mergeConfig';
import { parseGenerationConfig } from '../../../../sidecar/engine/config/parseGenerationConfig';
import { serializeGenerationConfig } from '../../../../sidecar/engine/config/serializeGenerationConfig';

/**
 * The field table is the only place a generation config field is spelled out: the schema, the
 * GenerationConfig value, parse, serialize and the form's field info all follow from an entry.
 * These tests hold every entry to that, so a new entry is checked without a test of its own.
 */

/** Fields valid only next to others (as in configFieldInfo.test.ts). */
const context: Record<string, Record<string, unknown>> = {
  num_beam_groups: { num_beams: 4, diversity_penalty: 0.5 },
  diversity_penalty: { num_beams: 4, num_beam_groups: 2 },
  num_return_sequences: { do_sample: true },
  min_new_tokens: { max_new_tokens: 100 },
  min_length: { max_length: 100 },
};

/** A JSON value for a json-kind field other than its default; every json field needs one. */
const jsonSamples: Record<string, unknown> = {
  early_stopping: 'never',
  stop_strings: ['\n\n', 'END'],
  bad_words_ids: [[1, 2], [3]],
  suppress_tokens: [4, 5],
  begin_suppress_tokens: [6],
  forced_eos_token_id: [7, 8],
  sequence_bias: [[[1, 2], -1.5]],
  exponential_decay_length_penalty: [5, 1.5],
  watermarking_config: { greenlist_ratio: 0.5, bias: 2, hashing_key: 7, context_width: 1, seeding_scheme: 'inkwell-wm-v1' },
  eos_token_id: [2, 3],
};

/** A valid value for the field that is not its default, from its kind and range. */
function sample(key: string, field: ConfigField): unknown {
  if (field.kind === 'json') return jsonSamples[key];
  if (field.form?.options) return field.form.options.find((o) => JSON.stringify(o) !== JSON.stringify(field.write(field.default)));
  if (field.kind === 'boolean') return !field.default;
  if (field.kind === 'string') {
    const schema = field.schema as { options?: readonly string[] };
    return schema.options?.find((o) => o !== field.default) ?? 'some/model';
  }
  const { min, max } = field.range ?? {};
  const candidates = field.kind === 'integer' ? [2, 3, (min ?? 0) + 1] : [0.5, 0.25, 2];
  return candidates.find((v) => v !== field.default && (min === undefined || v > min) && (max === undefined || v < max));
}

describe('generationConfigFields (the one field table)', () => {
  it('the schema has exactly the table\'s keys, in its order', () => {
    assert.deepEqual(Object.keys(generationConfigSchema.shape), Object.keys(generationConfigFields));
  });

  it('GenerationConfig has exactly the table\'s camel names, plus mode and extra', () => {
    const { config } = parseGenerationConfig({});
    assert.deepEqual(Object.keys(config), ['mode', ...generationConfigEntries.map(([, f]) => f.camel), 'extra']);
  });

  it('each camel name is its HF name in camelCase (mergeConfig takes either spelling)', () => {
    for (const [key, field] of generationConfigEntries) {
      assert.equal(field.camel, key.replace(/_([a-z])/g, (_, c: string) => c.toUpperCase()), key);
      const defaults = parseGenerationConfig({}).config;
      const camelSet = mergeConfig(defaults, { ...context[key], [field.camel]: sample(key, field) });
      const snakeSet = mergeConfig(defaults, { ...context[key], [key]: sample(key, field) });
      assert.deepEqual(camelSet, snakeSet, key);
    }
  });

  it('an absent field reads as the entry\'s default, and writing all defaults gives back what each entry writes', () => {
    const { config } = parseGenerationConfig({});
    const values = config as unknown as Record<string, unknown>;
    const full = serializeGenerationConfig(config, { includeDefaults: true });
    for (const [key, field] of generationConfigEntries) {
      assert.deepEqual(values[field.camel], field.default, key);
      assert.deepEqual(full[key], field.write(field.default), key);
    }
    assert.deepEqual(serializeGenerationConfig(config), {}, 'defaults are not written');
  });

  it('every entry round-trips: parse a non-default value, get it under the camel name, serialize it back', () => {
    for (const [key, field] of generationConfigEntries) {
      const value = sample(key, field);
      assert.notEqual(value, undefined, `${key}: no sample (a json field needs one in jsonSamples)`);
      const json = { ...(context[key] ?? {}), [key]: value };
      const { config } = parseGenerationConfig(json);
      assert.notDeepEqual((config as unknown as Record<string, unknown>)[field.camel], field.default, `${key} reads as its default`);
      assert.deepEqual(serializeGenerationConfig(config), json, key);
      assert.deepEqual(parseGenerationConfig(serializeGenerationConfig(config)).config, config, key);
    }
  });

  it('null reads as the default (top_k: null is HF\'s None, top-k off)', () => {
    for (const [key, field] of generationConfigEntries) {
      const { config } = parseGenerationConfig({ [key]: null });
      const expected = key === 'top_k' ? 0 : field.default;
      assert.deepEqual((config as unknown as Record<string, unknown>)[field.camel], expected, key);
    }
  });

  it('a value of the wrong type is refused naming the field', () => {
    for (const [key, field] of generationConfigEntries) {
      const wrong = field.kind === 'boolean' || field.kind === 'json' ? 'not-it' : field.kind === 'string' ? 12 : 'twelve';
      if (key === 'stop_strings') continue; // a bare string is a valid stop string
      assert.throws(() => parseGenerationConfig({ [key]: wrong }), (e: Error) => e.message.startsWith(`${key} = `) && e.message.includes('wrong type'), key);
    }
  });

  it('every range is the validator\'s: its bounds parse, one step beyond is refused naming the field', () => {
    for (const [key, field] of generationConfigEntries) {
      const range = field.range;
      if (!range) continue;
      const tiny = field.kind === 'integer' ? 1 : 1e-6;
      // diversity_penalty's own range (>= 0) is checked alone: with groups it must be > 0.
      const base = { do_sample: true, ...(key === 'diversity_penalty' ? {} : context[key]) };
      if (key === 'num_beam_groups') Object.assign(base, { num_beams: 64, do_sample: false });
      if (range.min !== undefined) {
        if (!range.minExclusive) assert.doesNotThrow(() => parseGenerationConfig({ ...base, [key]: range.min }), `${key} = ${range.min}`);
        const below = range.minExclusive ? range.min : range.min - tiny;
        assert.throws(() => parseGenerationConfig({ ...base, [key]: below }), (e: Error) => e.message.startsWith(key), `${key} = ${below}`);
      }
      if (range.max !== undefined) {
        if (!range.maxExclusive && key !== 'num_return_sequences') assert.doesNotThrow(() => parseGenerationConfig({ ...base, [key]: range.max }), `${key} = ${range.max}`);
        const above = range.maxExclusive ? range.max : range.max + tiny;
        assert.throws(() => parseGenerationConfig({ ...base, [key]: above }), (e: Error) => e.message.startsWith(key), `${key} = ${above}`);
      }
    }
  });

  it('configFieldInfo is the table\'s form entries, in form order, with the table\'s range and written default', () => {
    const shown = generationConfigEntries.filter(([, f]) => f.form).sort(([, a], [, b]) => a.form!.order - b.form!.order);
    assert.deepEqual(configFieldInfo.map((f) => f.key), shown.map(([key]) => key));
    const orders = shown.map(([, f]) => f.form!.order);
    assert.equal(new Set(orders).size, orders.length, 'form orders are distinct');
    for (const info of configFieldInfo) {
      const field: ConfigField = generationConfigFields[info.key];
      const form = field.form!;
      assert.equal(info.group, form.group, info.key);
      assert.equal(info.help, form.help, info.key);
      assert.equal(info.kind, form.options ? 'enum' : field.kind, info.key);
      assert.deepEqual(info.default, field.write(field.default) ?? null, info.key);
      assert.equal(info.min, field.range?.min, info.key);
      assert.equal(info.max, field.range?.max, info.key);
      assert.equal(info.minExclusive, field.range?.minExclusive, info.key);
      assert.equal(info.maxExclusive, field.range?.maxExclusive, info.key);
      assert.equal(info.sliderMax, form.sliderMax, info.key);
      assert.deepEqual(info.options, form.options, info.key);
    }
  });

  it('modes name real decoding modes; the form marks exactly the sampling warpers as sampling-only', () => {
    for (const [key, field] of generationConfigEntries) {
      assert.ok(field.modes.length > 0, key);
      for (const mode of field.modes) assert.ok(ALL_MODES.includes(mode), `${key}: ${mode}`);
    }
    assert.deepEqual(
      configFieldInfo.filter((f) => f.samplingOnly).map((f) => f.key),
      ['temperature', 'top_k', 'top_p', 'min_p', 'typical_p', 'epsilon_cutoff', 'eta_cutoff'],
    );
  });
});
