import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync, cpSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { parseInkwellJson } from '../../../../sidecar/runtime/model/inkwellJson';
import { readModelFolder } from '../../../../sidecar/runtime/model/modelFolder';

const DEFAULT_MODEL = join(__dirname, '..', '..', '..', '..', 'models', 'default');

describe('inkwell.json', () => {
  it('accepts an empty object and fim.order psm or spm', () => {
    assert.deepEqual(parseInkwellJson({}, 'f'), {});
    assert.deepEqual(parseInkwellJson({ fim: { order: 'spm' } }, 'f'), { fim: { order: 'spm' } });
    assert.deepEqual(parseInkwellJson({ fim: { order: 'psm' } }, 'f'), { fim: { order: 'psm' } });
  });

  it('refuses a wrong value, a misspelt field and a non-object, naming the file and the field', () => {
    assert.throws(() => parseInkwellJson({ fim: { order: 'msp' } }, '/m/inkwell.json'), (e: Error & { code?: string }) => e.code === 'model-invalid' && /\/m\/inkwell.json: field fim.order: allowed: "psm", "spm"/.test(e.message));
    assert.throws(() => parseInkwellJson({ fim: { ordr: 'spm' } }, 'f'), /field fim.ordr: unknown field/);
    assert.throws(() => parseInkwellJson({ fimOrder: 'spm' }, 'f'), /field fimOrder: unknown field/);
    assert.throws(() => parseInkwellJson({ fim: 'spm' }, 'f'), /field fim:/);
    assert.throws(() => parseInkwellJson([], 'f'), /model-invalid|field/);
  });

  it('an error never echoes a huge key in full', () => {
    const key = 'k'.repeat(100_000);
    assert.throws(() => parseInkwellJson({ [key]: 1 }, 'f'), (e: Error) => e.message.length <= 400);
  });

  it('readModelFolder reads it when present and gives {} when absent; a bad one fails the load', () => {
    const dir = mkdtempSync(join(tmpdir(), 'inkwell-json-'));
    try {
      for (const f of ['config.json', 'tokenizer.json', 'tokenizer_config.json', 'generation_config.json']) cpSync(join(DEFAULT_MODEL, f), join(dir, f));
      cpSync(join(DEFAULT_MODEL, 'onnx'), join(dir, 'onnx'), { recursive: true });
      assert.deepEqual(readModelFolder(dir).inkwell, {});
      writeFileSync(join(dir, 'inkwell.json'), JSON.stringify({ fim: { order: 'spm' } }));
      assert.deepEqual(readModelFolder(dir).inkwell, { fim: { order: 'spm' } });
      writeFileSync(join(dir, 'inkwell.json'), '{"fim": {"order": 3}}');
      assert.throws(() => readModelFolder(dir), (e: Error & { code?: string }) => e.code === 'model-invalid' && e.message.includes('fim.order'));
      writeFileSync(join(dir, 'inkwell.json'), '[1]');
      assert.throws(() => readModelFolder(dir), /must hold a JSON object/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
