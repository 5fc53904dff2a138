import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { configFieldInfo } from '../../../../sidecar/engine/config/configFieldInfo';
import { generationConfigFields } from '../../../../sidecar/engine/config/generationConfigSchema';
import { parseGenerationConfig } from '../../../../sidecar/engine/config/parseGenerationConfig';

/** The form's ranges must agree with the validator: what the form offers parses, what it excludes does not. */
describe('configFieldInfo', () => {
  const numeric = configFieldInfo.filter((f) => f.kind === 'integer' || f.kind === 'number');
  // Fields whose validity depends on another field (checked with it set accordingly).
  const context: Record<string, Record<string, unknown>> = {
    num_beam_groups: { num_beams: 64, do_sample: false, diversity_penalty: 0.5 },
    num_return_sequences: { do_sample: true },
    min_new_tokens: { max_new_tokens: 4096 },
    min_length: { max_length: 131072 },
    forced_bos_token_id: {},
  };

  it('names only real config fields, once each', () => {
    const keys = configFieldInfo.map((f) => f.key);
    assert.equal(new Set(keys).size, keys.length);
    for (const key of keys) assert.ok(Object.hasOwn(generationConfigFields, key), key);
  });

  it('every numeric field accepts its bounds (inclusive ones) and a mid value', () => {
    for (const f of numeric) {
      const base = { do_sample: true, ...(context[f.key] ?? {}) };
      const values: number[] = [];
      if (f.min !== undefined && !f.minExclusive) values.push(f.min);
      if (f.max !== undefined && !f.maxExclusive) values.push(f.max);
      if (f.min !== undefined && f.max !== undefined) values.push(f.kind === 'integer' ? Math.round((f.min + f.max) / 2) : (f.min + f.max) / 2);
      for (const v of values) {
        if (f.key === 'num_beam_groups' && 64 % v !== 0) continue;
        assert.doesNotThrow(() => parseGenerationConfig({ ...base, [f.key]: v }), `${f.key} = ${v}`);
      }
    }
  });

  it('exclusive lower bounds and values below a validator minimum are rejected with the field named', () => {
    for (const f of numeric) {
      if (f.min === undefined || f.key === 'length_penalty') continue; // length_penalty: any finite number is valid
      const below = f.minExclusive ? f.min : f.min - 1;
      if (f.key === 'min_p' || f.key === 'epsilon_cutoff' || f.key === 'eta_cutoff' || f.key === 'diversity_penalty' || f.key === 'repetition_penalty' || f.key === 'temperature' || f.key === 'top_p' || f.key === 'typical_p' || f.min === 0 || f.min === 1) {
        assert.throws(() => parseGenerationConfig({ do_sample: true, ...(context[f.key] ?? {}), [f.key]: below }), (e: Error) => e.message.includes(f.key), `${f.key} = ${below}`);
      }
    }
  });

  it('min/max are the whole allowed range, whatever do_sample says: beyond them is refused, up to a slider end is not the end', () => {
    const tiny = (f: (typeof numeric)[number]) => (f.kind === 'integer' ? 1 : 1e-6);
    for (const f of numeric) {
      for (const doSample of [true, false]) {
        const base = { do_sample: doSample, ...(context[f.key] ?? {}) };
        if (f.key === 'num_return_sequences' && !doSample) continue; // greedy returns one sequence
        if (f.max !== undefined) {
          const above = f.maxExclusive ? f.max : f.max + tiny(f);
          assert.throws(() => parseGenerationConfig({ ...base, [f.key]: above }), (e: Error) => e.message.startsWith(f.key), `${f.key} = ${above}, do_sample ${doSample}`);
        } else if (f.key !== 'num_beam_groups') {
          // No upper bound: a value well past the slider is valid (temperature 10, max_new_tokens 100,000).
          const far = (f.sliderMax ?? f.min ?? 0) * 10 + 1;
          const value = f.key === 'min_new_tokens' ? 4096 : f.key === 'min_length' ? 131072 : far;
          assert.doesNotThrow(() => parseGenerationConfig({ ...base, [f.key]: value }), `${f.key} = ${value}, do_sample ${doSample}`);
        }
        if (f.min !== undefined) {
          const below = f.minExclusive ? f.min : f.min - tiny(f);
          assert.throws(() => parseGenerationConfig({ ...base, [f.key]: below }), (e: Error) => e.message.startsWith(f.key), `${f.key} = ${below}, do_sample ${doSample}`);
        } else {
          assert.doesNotThrow(() => parseGenerationConfig({ ...base, [f.key]: (f.sliderMin ?? 0) * 10 - 1 }), `${f.key}, do_sample ${doSample}`);
        }
      }
    }
  });

  it('a slider stops inside the allowed range', () => {
    for (const f of numeric) {
      if (f.sliderMin !== undefined && f.min !== undefined) assert.ok(f.sliderMin > f.min, f.key);
      if (f.sliderMax !== undefined && f.max !== undefined) assert.ok(f.sliderMax < f.max, f.key);
    }
  });

  it('enum options and defaults parse', () => {
    for (const f of configFieldInfo) {
      if (f.default !== null && f.default !== undefined) assert.doesNotThrow(() => parseGenerationConfig({ [f.key]: f.default }), f.key);
      for (const option of f.options ?? []) assert.doesNotThrow(() => parseGenerationConfig({ num_beams: 2, [f.key]: option }), `${f.key} = ${String(option)}`);
    }
  });

  it('every field has one line of help', () => {
    for (const f of configFieldInfo) assert.ok(f.help.length > 10 && !f.help.includes('\n'), f.key);
  });
});
