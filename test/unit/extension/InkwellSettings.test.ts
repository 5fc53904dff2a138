import assert from 'node:assert/strict';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { decodeSettings, sidecarGeneration, withoutManagedKeys, DEFAULT_SETTINGS, resolveModelDir, toInitializationOptions } from '../../../extension/settings/InkwellSettings';

const from = (values: Record<string, unknown>) => (key: string) => values[key];

describe('decodeSettings', () => {
  it('unset settings take the defaults', () => {
    const { settings, problems } = decodeSettings(from({}));
    assert.deepEqual(settings, DEFAULT_SETTINGS);
    assert.deepEqual(problems, []);
  });

  it('reads every setting', () => {
    const { settings } = decodeSettings(
      from({
        modelFolder: ' /models/x ',
        assistantModelFolder: '/models/small',
        device: 'cpu',
        'completions.enabled': false,
        'completions.debounceMs': 0,
        'completions.maxLines': 200,
        'completions.contextTokens': 64,
        'completions.promptLookupTokens': 10,
        generationConfig: { temperature: 0.2 },
        'watermark.enabled': true,
        'watermark.key': 42,
      }),
    );
    assert.deepEqual(settings, {
      modelFolder: '/models/x',
      assistantModelFolder: '/models/small',
      device: 'cpu',
      completions: { enabled: false, debounceMs: 0, maxLines: 200, contextTokens: 64, promptLookupTokens: 10 },
      generationConfig: { temperature: 0.2 },
      watermark: { enabled: true, key: 42 },
    });
  });

  it('a value out of range falls back to the default and is named', () => {
    const { settings, problems } = decodeSettings(from({ 'completions.debounceMs': 5000, device: 'tpu', generationConfig: [1] }));
    assert.equal(settings.completions.debounceMs, 150);
    assert.equal(settings.device, 'auto');
    assert.deepEqual(settings.generationConfig, {});
    assert.equal(problems.length, 3);
    assert.match(problems[0]!, /^inkwell\.device: /);
    assert.match(problems[1]!, /^inkwell\.completions\.debounceMs: .*\(using 150\)$/);
    assert.match(problems[2]!, /^inkwell\.generationConfig: /);
  });
});

describe('resolveModelDir', () => {
  const ext = '/ext';
  it("'' picks the bundled models/default", () => {
    assert.equal(resolveModelDir('', ext), join(ext, 'models', 'default'));
    assert.equal(resolveModelDir('', ext, { workspaceFolder: '/ws' }), join(ext, 'models', 'default'));
  });
  it('a setting wins; relative paths start at the workspace folder', () => {
    assert.equal(resolveModelDir('/abs/m', ext, { workspaceFolder: '/ws' }), '/abs/m');
    assert.equal(resolveModelDir('m', ext, { workspaceFolder: '/ws' }), join('/ws', 'm'));
    assert.equal(resolveModelDir('m', ext), 'm');
  });

  it('passes a Hub model id on to the sidecar unless the workspace has a folder of that name', () => {
    const ext = '/ext';
    assert.equal(resolveModelDir('onnx-community/Qwen2.5-Coder-0.5B-Instruct', ext, { workspaceFolder: '/ws', exists: () => false }), 'onnx-community/Qwen2.5-Coder-0.5B-Instruct');
    assert.equal(resolveModelDir('org/name@v2', ext, { workspaceFolder: '/ws', exists: () => false }), 'org/name@v2');
    assert.equal(resolveModelDir('org/name', ext, { workspaceFolder: '/ws', exists: (p) => p === join('/ws', 'org/name') }), join('/ws', 'org/name'));
    assert.equal(resolveModelDir('models/a/b', ext, { workspaceFolder: '/ws', exists: () => false }), join('/ws', 'models/a/b'));
  });
});

describe('toInitializationOptions', () => {
  it('carries the folder, device, generation config and completion options (not the debounce)', () => {
    const { settings } = decodeSettings(from({ device: 'webgpu', generationConfig: { top_k: 5 } }));
    assert.deepEqual(toInitializationOptions(settings, '/m'), {
      modelDir: '/m',
      device: 'webgpu',
      generation: { top_k: 5 },
      completion: { enabled: true, maxLines: 8, contextTokens: 1024, promptLookupTokens: 0 },
    });
    assert.equal(toInitializationOptions(settings, '/m', '/a').assistantModelDir, '/a');
  });
});

describe('watermark settings', () => {
  it('add watermarking_config for the sidecar only while on, and own that key then', () => {
    const off = decodeSettings(from({ generationConfig: { top_k: 5, watermarking_config: { hashing_key: 7 } } })).settings;
    assert.deepEqual(sidecarGeneration(off), { top_k: 5, watermarking_config: { hashing_key: 7 } }, 'off: a hand-written config is left alone');
    assert.deepEqual(withoutManagedKeys(off, { top_k: 5, watermarking_config: { hashing_key: 7 } }), { top_k: 5, watermarking_config: { hashing_key: 7 } });
    const on = decodeSettings(from({ generationConfig: { top_k: 5 }, 'watermark.enabled': true, 'watermark.key': 99 })).settings;
    assert.deepEqual(sidecarGeneration(on), { top_k: 5, watermarking_config: { seeding_scheme: 'inkwell-wm-v1', hashing_key: 99 } });
    assert.deepEqual(withoutManagedKeys(on, { top_k: 5, watermarking_config: { hashing_key: 99 } }), { top_k: 5 }, 'never saved into inkwell.generationConfig');
    assert.equal(toInitializationOptions(on, '/m').generation?.watermarking_config !== undefined, true);
  });

  it('a key out of range falls back to the default and is named', () => {
    const { settings, problems } = decodeSettings(from({ 'watermark.key': -1 }));
    assert.equal(settings.watermark.key, 15485863);
    assert.match(problems[0]!, /^inkwell\.watermark\.key: /);
  });
});
