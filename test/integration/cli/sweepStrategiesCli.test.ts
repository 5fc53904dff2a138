import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { ReferenceDecoder } from '../../../sidecar/builder/reference/ReferenceDecoder';
import { referenceSequenceScore } from '../../support/referenceSequenceScore';
import { smallModel, testModel } from '../../support/testModels';

const cli = join(__dirname, '..', '..', '..', 'dist', 'inkwell.js');

function inkwell(...args: string[]) {
  assert.ok(existsSync(cli), `${cli} is missing: run npm run build`);
  const r = spawnSync(process.execPath, [cli, ...args], { encoding: 'utf8', timeout: 120_000 });
  // onnxruntime's WebGPU probe prints a Vulkan warning on machines without a GPU; it is not ours.
  const stderr = r.stderr.split('\n').filter((l) => l && !/Vulkan|BackendVk|^\s+at /.test(l));
  return { code: r.status, stdout: r.stdout, stderr };
}

const ALL = ['greedy', 'sample', 'beam', 'beam-early', 'beam-never', 'beam-sample', 'diverse', 'contrastive'];

interface Row {
  strategy: string;
  settings: Record<string, string>;
  tokens?: number;
  tokenIds?: number[];
  finishReason?: string;
  sequenceScore?: number | null;
  text?: string;
  error?: { code: string; message: string; field?: string };
}

describe('inkwell sweep --strategies', () => {
  const model = smallModel();
  const common = ['--model', model, '--prompt', 'def add(a, b):', '--set', 'max_new_tokens=8', '--dtype', 'fp32', '--device', 'cpu', '--seed', '4'];
  const sweep = (...args: string[]) => {
    const r = inkwell('sweep', ...common, ...args, '--json');
    assert.equal(r.code, 0, r.stderr.join('\n'));
    return (JSON.parse(r.stdout) as { rows: Row[] }).rows;
  };

  it('without a list runs every strategy, in order (the test model has last_hidden_state, so contrastive runs too)', () => {
    const rows = sweep('--strategies');
    assert.deepEqual(rows.map((r) => r.strategy), ALL);
    for (const row of rows) {
      assert.equal(row.error, undefined, `${row.strategy}: ${row.error?.message}`);
      assert.equal(row.tokens, 8, row.strategy);
      assert.equal(row.tokenIds?.length, 8, row.strategy);
    const beamLike = row.strategy.startsWith('beam') || row.strategy === 'diverse';
      if (!row.error) assert.equal(typeof row.sequenceScore === 'number', beamLike, `${row.strategy}: score ${row.sequenceScore}`);
    }
    assert.deepEqual(rows.find((r) => r.strategy === 'beam')!.settings, { num_beams: '4', early_stopping: 'false' });
  });

  it('the greedy row is what a plain inkwell generate of the same config gives', () => {
    const [greedy] = sweep('--strategies', 'greedy');
    const plain = inkwell('generate', ...common, '--json');
    assert.equal(plain.code, 0, plain.stderr.join('\n'));
    const json = JSON.parse(plain.stdout);
    assert.deepEqual(greedy!.tokenIds, json.sequences[0].token_ids);
    assert.equal(greedy!.text, json.sequences[0].text);
    assert.equal(greedy!.sequenceScore, null);
    assert.equal(json.sequence_scores, undefined, 'greedy decoding has no sequence scores');
  });

  it("greedy stays greedy and beam stays beam when the config samples (the strategies reset the mode fields)", () => {
    const [greedy, beam] = sweep('--strategies', 'greedy,beam', '--set', 'do_sample=true');
    const plain = JSON.parse(inkwell('generate', ...common, '--json').stdout);
    assert.deepEqual(greedy!.tokenIds, plain.sequences[0].token_ids);
    assert.equal(beam!.error, undefined, beam!.error?.message);
  });

  it('the beam row is beam search with its overlay, scored as the reference model scores it', () => {
    const [beam] = sweep('--strategies', 'beam');
    const score = beam!.sequenceScore!;
    assert.ok(Number.isFinite(score) && score <= 0, `score ${score}`);
    const plain = inkwell('generate', ...common, '--set', 'num_beams=4', '--set', 'early_stopping=false', '--json');
    assert.equal(plain.code, 0, plain.stderr.join('\n'));
    const json = JSON.parse(plain.stdout);
    assert.deepEqual(beam!.tokenIds, json.sequences[0].token_ids);
    // Independent: log-probabilities of the returned tokens under the TS reference forward pass
    // (no logits processor is active in this config; length_penalty 1).
    const expected = referenceSequenceScore(ReferenceDecoder.load(model), json.prompt.token_ids, beam!.tokenIds!);
    assert.ok(Math.abs(score - expected) < 1e-4, `${score} vs reference ${expected}`);
  });

  it('a strategy the engine refuses is an error row and the others still run', () => {
    // Prompt lookup makes greedy assisted; beam search cannot be assisted (HF refuses it too).
    const rows = sweep('--strategies', 'beam,greedy', '--set', 'prompt_lookup_num_tokens=2');
    assert.equal(rows[0]!.strategy, 'beam');
    assert.equal(rows[0]!.error?.field, 'assistant_model');
    assert.equal(rows[1]!.error, undefined, rows[1]!.error?.message);
    assert.equal(rows[1]!.tokens, 8);
  });

  it('contrastive search on a model without hidden states is an error row naming penalty_alpha', () => {
    const bare = testModel('no-hidden-states', { layers: 1, hidden: 32, heads: 2, kvHeads: 2, intermediate: 64, vocab: 512, seed: 5, dtypes: ['fp32'] });
    const r = inkwell('sweep', '--model', bare, '--prompt', 'x', '--set', 'max_new_tokens=4', '--device', 'cpu', '--strategies', 'greedy,contrastive', '--json');
    assert.equal(r.code, 0, r.stderr.join('\n'));
    const [greedy, contrastive] = (JSON.parse(r.stdout) as { rows: Row[] }).rows;
    assert.equal(greedy!.tokens, 4);
    assert.equal(contrastive!.error?.code, 'invalid-config');
    assert.equal(contrastive!.error?.field, 'penalty_alpha');
  });

  it('prints one table line per strategy, with the score only on beam rows and error rows in place', () => {
    const r = inkwell('sweep', ...common, '--strategies', 'greedy,beam', '--set', 'prompt_lookup_num_tokens=2');
    assert.equal(r.code, 0, r.stderr.join('\n'));
    const lines = r.stdout.trimEnd().split('\n');
    assert.equal(lines.length, 3);
    assert.match(lines[0]!, /^strategy\s+tokens\s+tok\/s\s+finish\s+score\s+output$/);
    assert.match(lines[1]!, /^greedy\s+8\s+\d+\s+length\s{10,}\S/, 'greedy: no score');
    assert.match(lines[2]!, /^beam\s+error: beam search \(num_beams = 4\) cannot be assisted/);
    const beam = inkwell('sweep', ...common, '--strategies', 'beam').stdout.split('\n')[1]!;
    assert.match(beam, /^beam\s+8\s+\d+\s+length\s+-\d+\.\d{4}\s/);
  });

  it('exits 1 when every strategy was refused, still printing the rows', () => {
    const r = inkwell('sweep', ...common, '--strategies', 'beam,beam-early', '--set', 'prompt_lookup_num_tokens=2', '--json');
    assert.equal(r.code, 1);
    const rows = (JSON.parse(r.stdout) as { rows: Row[] }).rows;
    assert.deepEqual(rows.map((row) => row.error?.field), ['assistant_model', 'assistant_model']);
  });

  describe('bad input: exit code 2 and one line', () => {
    const cases: [string, string[], RegExp][] = [
      ['an unknown name lists the allowed ones', ['--strategies', 'beam,greedyy'], /--strategies: "greedyy" is not a strategy: use all or a list of greedy, sample, beam, beam-early, beam-never, beam-sample, diverse, contrastive/],
      ['a name twice', ['--strategies', 'beam,beam'], /"beam" is listed twice/],
      ['a swept --set as well', ['--strategies', 'beam', '--set', 'temperature=0.5,1'], /--strategies takes single --set values/],
      ['a typo in a shared --set', ['--strategies', 'beam', '--set', 'lenght_penalty=2'], /lenght_penalty is not a generation config field/],
    ];
    for (const [name, args, pattern] of cases) {
      it(name, () => {
        const r = inkwell('sweep', ...common, ...args);
        assert.equal(r.code, 2, r.stderr.join('\n'));
        assert.equal(r.stderr.length, 1, r.stderr.join('\n'));
        assert.match(r.stderr[0]!, pattern);
      });
    }
  });
});
