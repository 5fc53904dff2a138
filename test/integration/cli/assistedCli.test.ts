import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { smallModel, testModel } from '../../support/testModels';

const cli = join(__dirname, '..', '..', '..', 'dist', 'inkwell.js');

function generate(...args: string[]) {
  const r = spawnSync(process.execPath, [cli, 'generate', ...args, '--device', 'cpu'], { encoding: 'utf8', timeout: 120_000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe('inkwell generate --assistant', () => {
  const model = smallModel();
  const common = ['--model', model, '--prompt', 'def f(x):\n    return', '--set', 'max_new_tokens=16', '--set', 'eos_token_id=[]'];

  it('gives the plain greedy tokens and reports the speculative statistics in --json', () => {
    const plain = generate(...common, '--json');
    const assisted = generate(...common, '--assistant', model, '--json');
    assert.equal(plain.code, 0, plain.stderr);
    assert.equal(assisted.code, 0, assisted.stderr);
    const a = JSON.parse(plain.stdout);
    const b = JSON.parse(assisted.stdout);
    assert.deepEqual(b.sequences[0].token_ids, a.sequences[0].token_ids);
    assert.equal(a.assisted, undefined);
    assert.ok(b.assisted.drafted > 0);
    assert.equal(b.assisted.acceptance_rate, 1, 'the model as its own assistant: every draft is accepted');
    assert.ok(b.assisted.tokens_per_main_forward > 1);
  });

  it('refuses an assistant with another vocabulary, naming both folders', () => {
    const other = testModel('other-vocab', { layers: 1, hidden: 32, heads: 2, kvHeads: 1, intermediate: 64, vocab: 512, seed: 3, dtypes: ['fp32'] });
    const r = generate(...common, '--assistant', other);
    assert.equal(r.code, 2);
    assert.match(r.stderr, new RegExp(`assistant model ${other.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} does not share the vocabulary of the main model ${model.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`));
  });
});
