import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { ReferenceDecoder } from '../../../sidecar/builder/reference/ReferenceDecoder';
import { referenceSequenceScore } from '../../support/referenceSequenceScore';
import { smallModel } from '../../support/testModels';

const repo = join(__dirname, '..', '..', '..');
const cli = join(repo, 'dist', 'inkwell.js');
const scratch = mkdtempSync(join(tmpdir(), 'inkwell-cli-'));
after(() => rmSync(scratch, { recursive: true, force: true }));

/** Runs the built CLI (npm test builds dist/ first) as a user would. */
function inkwell(...args: string[]) {
  assert.ok(existsSync(cli), `${cli} is missing: run npm run build`);
  const r = spawnSync(process.execPath, [cli, ...args], { encoding: 'utf8', timeout: 120_000 });
  // onnxruntime's WebGPU probe prints a Vulkan warning on machines without a GPU; it is not ours.
  const stderr = r.stderr.split('\n').filter((l) => l && !/Vulkan|BackendVk|^\s+at /.test(l));
  return { code: r.status, stdout: r.stdout, stderr };
}

function expectUsageError(result: ReturnType<typeof inkwell>, pattern: RegExp): void {
  assert.equal(result.code, 2, `exit code; stderr: ${result.stderr.join('\n')}`);
  assert.equal(result.stderr.length, 1, `one line on stderr, got:\n${result.stderr.join('\n')}`);
  assert.match(result.stderr[0]!, /^inkwell: /);
  assert.match(result.stderr[0]!, pattern);
}

describe('inkwell CLI', () => {
  const model = smallModel();

  it('generate --json returns text and token ids, reproducible with --seed', () => {
    const args = ['generate', '--model', model, '--prompt', 'const a =', '--set', 'do_sample=true', '--set', 'max_new_tokens=12', '--seed', '5', '--json', '--device', 'cpu'];
    const a = inkwell(...args);
    assert.equal(a.code, 0, a.stderr.join('\n'));
    const json = JSON.parse(a.stdout);
    assert.equal(json.sequences.length, 1);
    assert.equal(json.sequences[0].token_ids.length, json.sequences[0].finish_reason === 'length' ? 12 : json.sequences[0].token_ids.length);
    assert.ok(Array.isArray(json.prompt.token_ids) && json.prompt.token_ids.length > 0);
    assert.equal(json.seed, 5);
    const b = JSON.parse(inkwell(...args).stdout);
    assert.deepEqual(b.sequences[0].token_ids, json.sequences[0].token_ids);
  });

  it('generate --stream prints the same text as the non-streamed run', () => {
    const base = ['generate', '--model', model, '--prompt', 'let x', '--set', 'max_new_tokens=16', '--device', 'cpu'];
    const streamed = inkwell(...base, '--stream');
    const plain = inkwell(...base);
    assert.equal(streamed.code, 0);
    assert.equal(streamed.stdout, plain.stdout);
  });

  it('generate --stream --json prints JSON lines whose tokens and texts add up to the result', () => {
    const r = inkwell('generate', '--model', model, '--prompt', 'let y', '--set', 'do_sample=true', '--set', 'num_return_sequences=2', '--set', 'max_new_tokens=12', '--seed', '3', '--stream', '--json');
    assert.equal(r.code, 0, r.stderr.join('\n'));
    const lines = r.stdout.trim().split('\n').map((l) => JSON.parse(l));
    const result = lines.at(-1);
    assert.equal(result.type, 'result');
    for (const [i, sequence] of result.sequences.entries()) {
      const events = lines.filter((e) => e.sequence === i);
      assert.deepEqual(events.filter((e) => e.type === 'token').map((e) => e.token_id), sequence.token_ids);
      assert.equal(events.map((e) => e.text).join(''), sequence.text);
      assert.equal(events.at(-1).type, 'finish');
    }
  });

  it('generate prints each beam sequence\'s score: --json sequence_scores as the reference model scores them, text a line per sequence', () => {
    const args = ['generate', '--model', model, '--prompt', 'def f(', '--set', 'num_beams=3', '--set', 'num_return_sequences=2', '--set', 'max_new_tokens=6', '--set', 'length_penalty=0.5', '--dtype', 'fp32', '--device', 'cpu'];
    const r = inkwell(...args, '--json');
    assert.equal(r.code, 0, r.stderr.join('\n'));
    const json = JSON.parse(r.stdout);
    assert.equal(json.sequence_scores.length, 2);
    assert.ok(json.sequence_scores[0] >= json.sequence_scores[1], 'best first');
    const reference = ReferenceDecoder.load(model);
    json.sequences.forEach((s: { token_ids: number[] }, i: number) => {
      const expected = referenceSequenceScore(reference, json.prompt.token_ids, s.token_ids, 0.5);
      assert.ok(Math.abs(json.sequence_scores[i] - expected) < 1e-4, `sequence ${i}: ${json.sequence_scores[i]} vs reference ${expected}`);
    });
    const text = inkwell(...args);
    assert.equal(text.code, 0, text.stderr.join('\n'));
    assert.match(text.stdout, /^--- sequence 0 ---\n[^]*\n--- sequence 1 ---\n/);
    const lines = text.stderr.filter((l) => /^sequence \d: score/.test(l));
    assert.deepEqual(lines.map((l) => Number(/score (\S+)/.exec(l)![1])), json.sequence_scores.map((x: number) => Number(x.toFixed(4))));
  });

  it('generate --chat renders the chat template', () => {
    const chat = join(scratch, 'chat.json');
    writeFileSync(chat, JSON.stringify([{ role: 'user', content: 'hi' }]));
    const r = inkwell('generate', '--model', model, '--chat', chat, '--set', 'max_new_tokens=4', '--json', '--device', 'cpu');
    assert.equal(r.code, 0, r.stderr.join('\n'));
    assert.match(JSON.parse(r.stdout).prompt.text, /<\|im_start\|>user\nhi<\|im_end\|>\n<\|im_start\|>assistant\n$/);
  });

  it('--set max_length bounds the run even when the model folder sets max_new_tokens', () => {
    const r = inkwell('generate', '--model', model, '--prompt', 'ab', '--set', 'max_length=6', '--set', 'min_new_tokens=1', '--json');
    assert.equal(r.code, 0, r.stderr.join('\n'));
    const json = JSON.parse(r.stdout);
    assert.ok(json.prompt.token_ids.length + json.sequences[0].token_ids.length <= 6);
    assert.ok(r.stderr.some((l) => /replaces max_new_tokens/.test(l)));
  });

  it('an in-range sampling field set for greedy decoding is accepted with a warning, as in HF', () => {
    const r = inkwell('generate', '--model', model, '--prompt', 'x', '--set', 'temperature=0.5', '--set', 'max_new_tokens=2', '--json');
    assert.equal(r.code, 0, r.stderr.join('\n'));
    assert.equal(r.stderr.filter((l) => /temperature = 0\.5 has no effect without do_sample/.test(l)).length, 1);
  });

  it('sweep prints one row per value', () => {
    const r = inkwell('sweep', '--model', model, '--prompt', 'x', '--set', 'temperature=0.001,0.1,0.5,1,10', '--set', 'max_new_tokens=6', '--device', 'cpu');
    assert.equal(r.code, 0, r.stderr.join('\n'));
    const lines = r.stdout.trim().split('\n');
    assert.equal(lines.length, 6);
    assert.deepEqual(lines.slice(1).map((l) => l.split(/\s+/)[0]), ['0.001', '0.1', '0.5', '1', '10']);
  });

  it('inspect --json reports the provider attempts and the tokenizer', () => {
    const r = inkwell('inspect', '--model', model, '--json');
    assert.equal(r.code, 0, r.stderr.join('\n'));
    const json = JSON.parse(r.stdout);
    assert.equal(json.architecture.modelType, 'llama');
    assert.equal(json.logitsWidth, 1024);
    assert.deepEqual(json.tokenizer.fimTokens, ['<|fim_prefix|>', '<|fim_suffix|>', '<|fim_middle|>']);
    assert.equal(json.providerAttempts.at(-1).ok, true);
  });

  it('dev make-model and quantize write loadable folders', () => {
    const dir = join(scratch, 'made');
    const made = inkwell('dev', 'make-model', '--out', dir, '--layers', '1', '--hidden', '32', '--heads', '2', '--vocab', '512', '--dtype', 'fp32');
    assert.equal(made.code, 0, made.stderr.join('\n'));
    assert.ok(!existsSync(join(dir, 'onnx', 'model_q4.onnx')));
    const q = inkwell('quantize', '--model', dir, '--bits', '4', '--block-size', '32');
    assert.equal(q.code, 0, q.stderr.join('\n'));
    const g = inkwell('generate', '--model', dir, '--dtype', 'q4', '--prompt', 'a', '--set', 'max_new_tokens=3', '--json');
    assert.equal(g.code, 0, g.stderr.join('\n'));
    assert.equal(JSON.parse(g.stdout).model.dtype, 'q4');
  });

  it('config --save writes a named config next to the model that --config NAME reads back', () => {
    const dir = join(scratch, 'cfg');
    cpSync(model, dir, { recursive: true });
    const saved = inkwell('config', '--model', dir, '--set', 'do_sample=true', '--set', 'temperature=0.7', '--set', 'top_p=0.9', '--save', 'creative.json');
    assert.equal(saved.code, 0, saved.stderr.join('\n'));
    assert.ok(existsSync(join(dir, 'creative.json')));
    const read = inkwell('config', '--model', dir, '--config', 'creative');
    assert.equal(read.code, 0, read.stderr.join('\n'));
    const json = JSON.parse(read.stdout);
    assert.equal(json.temperature, 0.7);
    assert.equal(json.top_p, 0.9);
    assert.equal(json.do_sample, true);
    const run = inkwell('generate', '--model', dir, '--config', 'creative', '--prompt', 'x', '--set', 'max_new_tokens=3', '--json');
    assert.equal(run.code, 0, run.stderr.join('\n'));
  });

  describe('bad input: exit code 2 and one line naming the problem', () => {
    const cases: [string, string[], RegExp][] = [
      ['unknown command', ['frobnicate'], /unknown command "frobnicate"/],
      ['missing --model', ['generate', '--prompt', 'x'], /--model is required/],
      ['unknown flag', ['generate', '--model', 'm', '--temprature', '1'], /temprature/],
      ['no prompt', ['generate', '--model', '<model>'], /exactly one of --prompt, --prompt-file, --chat/],
      ['top_p out of range', ['generate', '--model', '<model>', '--prompt', 'x', '--set', 'do_sample=true', '--set', 'top_p=1.5'], /top_p = 1\.5 .*> 0 and <= 1/],
      ['temperature not a number', ['generate', '--model', '<model>', '--prompt', 'x', '--set', 'temperature=hot'], /temperature/],
      // Out of range is out of range without do_sample too.
      ['top_p out of range without do_sample', ['generate', '--model', '<model>', '--prompt', 'x', '--set', 'top_p=2'], /top_p = 2 is out of range: must be > 0 and <= 1/],
      ['temperature below its range without do_sample', ['generate', '--model', '<model>', '--prompt', 'x', '--set', 'temperature=-1'], /temperature = -1 is out of range: must be > 0/],
      ['temperature 0 for greedy', ['config', '--model', '<model>', '--set', 'do_sample=false', '--set', 'temperature=0'], /temperature = 0 is out of range: must be > 0 .*leave it unset/],
      ['max_new_tokens beyond exact integers', ['generate', '--model', '<model>', '--prompt', 'x', '--set', 'max_new_tokens=1e20'], /max_new_tokens = 100000000000000000000 is out of range: must be >= 1 and <= 9007199254740991/],
      ['__proto__ as a --set key', ['config', '--model', '<model>', '--set', '__proto__=1'], /__proto__ is not a generation config field/],
      ['unknown config key', ['generate', '--model', '<model>', '--prompt', 'x', '--set', 'temprature=1'], /temprature is not a generation config field/],
      ['malformed --set', ['generate', '--model', '<model>', '--prompt', 'x', '--set', 'temperature'], /expected key=value/],
      ['unknown dtype', ['generate', '--model', '<model>', '--prompt', 'x', '--dtype', 'int3'], /--dtype = int3 is not allowed/],
      ['missing model folder', ['generate', '--model', '/nonexistent/model', '--prompt', 'x'], /does not exist/],
      ['seed out of range', ['generate', '--model', '<model>', '--prompt', 'x', '--seed', '-1'], /seed/],
      ['sweep without an axis', ['sweep', '--model', '<model>', '--prompt', 'x', '--set', 'temperature=1'], /exactly one --set key=v1,v2/],
      ['quantize bits', ['quantize', '--model', '<model>', '--bits', '3'], /bits/],
      ['config --save onto config.json', ['config', '--model', '<model>', '--save', 'config.json'], /not config\.json/],
      ['a config file that does not exist', ['generate', '--model', '<model>', '--prompt', 'x', '--config', 'nope.json'], /nope\.json does not exist/],
      ['a folder as --prompt-file', ['generate', '--model', '<model>', '--prompt-file', '/tmp'], /--prompt-file \/tmp: not a file/],
      ['a folder as --config', ['generate', '--model', '<model>', '--prompt', 'x', '--config', '/tmp'], /generation config \/tmp is not a file/],
      ['a file as --model', ['generate', '--model', '/etc/hostname', '--prompt', 'x'], /\/etc\/hostname is a file, not a model folder/],
      ['make-model heads', ['dev', 'make-model', '--out', '/tmp/x', '--hidden', '30', '--heads', '4'], /--hidden = 30 must be a multiple of --heads = 4/],
    ];
    for (const [name, args, pattern] of cases) {
      it(name, () => expectUsageError(inkwell(...args.map((a) => (a === '<model>' ? model : a))), pattern));
    }

    it('a --config file with a "__proto__" key', () => {
      const file = join(scratch, 'proto.json');
      writeFileSync(file, '{"__proto__": {"do_sample": true}, "max_new_tokens": 3}');
      expectUsageError(inkwell('config', '--model', model, '--config', file), /proto\.json: __proto__ is not a generation config field/);
    });

    it('a --config file nested 5,000 levels deep', () => {
      const file = join(scratch, 'deep.json');
      writeFileSync(file, `{"chat_format": ${'['.repeat(5000)}1${']'.repeat(5000)}}`);
      expectUsageError(inkwell('config', '--model', model, '--config', file), /deep\.json: chat_format is nested too deeply: a generation config value may nest at most 32 levels/);
    });

    it('a corrupt model folder', () => {
      const dir = join(scratch, 'corrupt');
      cpSync(model, dir, { recursive: true });
      writeFileSync(join(dir, 'onnx', 'model.onnx'), 'garbage');
      expectUsageError(inkwell('generate', '--model', dir, '--dtype', 'fp32', '--prompt', 'x'), /corrupt or truncated/);
    });
  });
});

describe('inkwell CLI with a model whose generation_config.json has an invalid field', () => {
  it('leaves that field out with a warning and uses the rest (eos_token_id still stops generation)', () => {
    const dir = mkdtempSync(join(tmpdir(), 'inkwell-cli-temp0-'));
    try {
      cpSync(smallModel(), dir, { recursive: true });
      // HF tolerates temperature 0 without do_sample (a warning); Inkwell refuses it as out of range.
      writeFileSync(join(dir, 'generation_config.json'), JSON.stringify({ do_sample: false, temperature: 0, max_new_tokens: 7 }));
      const r = inkwell('generate', '--model', dir, '--prompt', 'const a =', '--json', '--device', 'cpu');
      assert.equal(r.code, 0, r.stderr.join('\n'));
      assert.ok(r.stderr.some((l) => /generation_config\.json field temperature is not used: temperature = 0/.test(l)), r.stderr.join('\n'));
      assert.equal(JSON.parse(r.stdout).sequences[0].token_ids.length, 7, "the file's max_new_tokens applies");
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
