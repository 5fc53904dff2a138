import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { InkwellError } from '../../../../sidecar/engine/InkwellError';
import { mergeConfig } from '../../../../sidecar/engine/config/mergeConfig';
import { parseGenerationConfig } from '../../../../sidecar/engine/config/parseGenerationConfig';
import { serializeGenerationConfig } from '../../../../sidecar/engine/config/serializeGenerationConfig';

function rejects(watermarking: Record<string, unknown>, field: string, fragment: string): void {
  assert.throws(
    () => parseGenerationConfig({ watermarking_config: watermarking }),
    (error: unknown) => {
      assert.ok(error instanceof InkwellError);
      assert.equal(error.code, 'invalid-config');
      assert.equal(error.details.field, `watermarking_config.${field}`, error.message);
      assert.ok(error.message.startsWith(`watermarking_config.${field}`), error.message);
      assert.ok(error.message.includes(fragment), `"${error.message}" should include "${fragment}"`);
      return true;
    },
  );
}

describe('watermarking_config', () => {
  it('takes HF defaults for absent fields and our scheme', () => {
    const { config } = parseGenerationConfig({ watermarking_config: {} });
    assert.deepEqual(config.watermarkingConfig, {
      greenlistRatio: 0.25, bias: 2, hashingKey: 15485863, contextWidth: 1, seedingScheme: 'inkwell-wm-v1',
    });
    assert.equal(parseGenerationConfig({}).config.watermarkingConfig, undefined);
  });

  it('reads every field and writes them back in snake_case', () => {
    const json = { greenlist_ratio: 0.5, bias: 0, hashing_key: 4294967295, context_width: 4, seeding_scheme: 'inkwell-wm-v1' };
    const { config } = parseGenerationConfig({ watermarking_config: json });
    assert.deepEqual(serializeGenerationConfig(config).watermarking_config, json);
  });

  it('refuses out-of-range values naming the field and the range', () => {
    rejects({ greenlist_ratio: 0 }, 'greenlist_ratio', 'must be > 0 and < 1');
    rejects({ greenlist_ratio: 1 }, 'greenlist_ratio', 'must be > 0 and < 1');
    rejects({ bias: -0.1 }, 'bias', 'must be >= 0');
    rejects({ bias: '2' }, 'bias', 'must be a number');
    rejects({ hashing_key: -1 }, 'hashing_key', 'unsigned 32-bit');
    rejects({ hashing_key: 2 ** 32 }, 'hashing_key', '<= 4294967295');
    rejects({ hashing_key: 1.5 }, 'hashing_key', 'an integer');
    rejects({ context_width: 0 }, 'context_width', 'must be >= 1');
    rejects({ seeding_scheme: 'lefthash' }, 'seeding_scheme', 'must be "inkwell-wm-v1"');
    rejects({ gamma: 0.3 }, 'gamma', 'is not a watermarking_config field');
  });

  it('merges from --set JSON', () => {
    const merged = mergeConfig(parseGenerationConfig({}).config, { watermarking_config: '{"hashing_key": 7}' });
    assert.equal(merged.watermarkingConfig?.hashingKey, 7);
  });
});
