import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, symlinkSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { InkwellError, type InkwellErrorCode } from '../../../sidecar/engine/InkwellError';
import { loadModel, readGenerationConfigFile, readModelFolder } from '../../../sidecar/runtime/index';
import { smallModel, testModel } from '../../support/testModels';

// A model folder can come from a cloned repository. Every file Inkwell
// reads from it must be a regular file under a size limit, and errors name the file and what was
// wrong without quoting it. Today's code waited forever on a FIFO, read /dev/zero until memory
// ran out, said "does not exist" for a symlink loop, quoted the first line of a file that is not
// JSON, and trusted config.json's position count past the graph's own position table.

const scratch = mkdtempSync(join(tmpdir(), 'inkwell-hostile-'));
after(() => rmSync(scratch, { recursive: true, force: true }));
let serial = 0;

// The options of gpt2AndExternalData's models, so that both share the cached folders.
const GPT2 = { modelType: 'gpt2', layers: 2, hidden: 64, heads: 4, vocab: 1024, maxPositions: 128, seed: 21, dtypes: ['fp32'] } as const;

function copyOf(source: string): string {
  const dir = join(scratch, `m${serial++}`);
  cpSync(source, dir, { recursive: true });
  return dir;
}

function replaceWith(file: string, make: (path: string) => void): void {
  rmSync(file, { force: true });
  make(file);
}

const fifo = (path: string) => execFileSync('mkfifo', [path]);
const linkTo = (target: string) => (path: string) => symlinkSync(target, path);
/** A sparse file: its size without its bytes on disk. */
const sized = (bytes: number) => (path: string) => {
  writeFileSync(path, '');
  truncateSync(path, bytes);
};

async function rejectsWith(work: () => Promise<unknown> | unknown, code: InkwellErrorCode, pattern: RegExp): Promise<InkwellError> {
  let caught: unknown;
  try {
    await work();
  } catch (e) {
    caught = e;
  }
  assert.ok(InkwellError.is(caught), `expected an InkwellError, got ${String(caught)}`);
  assert.equal(caught.code, code, caught.message);
  assert.match(caught.message, pattern);
  return caught;
}

const load = (dir: string) => loadModel({ dir, device: 'cpu', dtype: 'fp32', inWorker: false });

describe('hostile model folders: only regular files, each under a size limit', () => {
  for (const [name, file] of [['tokenizer.json', 'tokenizer.json'], ['config.json', 'config.json'], ['generation_config.json', 'generation_config.json'], ['tokenizer_config.json', 'tokenizer_config.json'], ['chat_template.jinja', 'chat_template.jinja'], ['inkwell.json', 'inkwell.json']] as const) {
    it(`${name} as a FIFO is refused at once, naming it`, { timeout: 60_000 }, async () => {
      const dir = copyOf(smallModel());
      replaceWith(join(dir, file), fifo);
      await rejectsWith(() => readModelFolder(dir), 'model-invalid', new RegExp(`${file.replace('.', '\\.')} is a FIFO \\(named pipe\\), not a regular file; Inkwell reads only regular files from a model folder`));
    });
  }

  for (const device of ['/dev/zero', '/dev/urandom']) {
    it(`tokenizer.json linked to ${device} is refused without reading it`, { timeout: 60_000 }, async () => {
      const dir = copyOf(smallModel());
      replaceWith(join(dir, 'tokenizer.json'), linkTo(device));
      await rejectsWith(() => load(dir), 'model-invalid', /tokenizer\.json is a character device, not a regular file/);
    });
  }

  it('an onnx file that is a FIFO or a device is refused before onnxruntime opens it', { timeout: 60_000 }, async () => {
    const dir = copyOf(smallModel());
    replaceWith(join(dir, 'onnx', 'model.onnx'), fifo);
    await rejectsWith(() => load(dir), 'model-invalid', /onnx\/model\.onnx is a FIFO/);
    replaceWith(join(dir, 'onnx', 'model.onnx'), linkTo('/dev/zero'));
    await rejectsWith(() => loadModel({ dir, device: 'cpu', dtype: 'fp32' }), 'model-invalid', /onnx\/model\.onnx is a character device/);
  });

  it('an external data file that is a FIFO is refused, naming it', { timeout: 60_000 }, async () => {
    const dir = copyOf(testModel('gpt2-external', { ...GPT2, externalData: true }));
    replaceWith(join(dir, 'onnx', 'model.onnx_data'), fifo);
    await rejectsWith(() => load(dir), 'model-invalid', /model\.onnx_data is a FIFO/);
  });

  it('a file over its limit is refused by its size, naming the limit', { timeout: 60_000 }, async () => {
    const dir = copyOf(smallModel());
    replaceWith(join(dir, 'config.json'), sized(5 * 1024 * 1024));
    await rejectsWith(() => readModelFolder(dir), 'model-invalid', /config\.json is 5 MiB, over Inkwell's 4 MiB limit for this file/);
    const other = copyOf(smallModel());
    replaceWith(join(other, 'chat_template.jinja'), sized(2 * 1024 * 1024));
    await rejectsWith(() => readModelFolder(other), 'model-invalid', /chat_template\.jinja is 2 MiB, over Inkwell's 1 MiB limit/);
  });
});

describe('hostile model folders: errors say what is wrong', () => {
  it('a symlink loop is called a symlink loop, not "does not exist"', async () => {
    const loop = join(scratch, `loop${serial++}`);
    symlinkSync(`${loop}-b`, loop);
    symlinkSync(loop, `${loop}-b`);
    await rejectsWith(() => load(loop), 'model-invalid', /is a symlink loop \(ELOOP\)/);
    const dir = copyOf(smallModel());
    replaceWith(join(dir, 'tokenizer.json'), linkTo(join(dir, 'tokenizer.json')));
    await rejectsWith(() => load(dir), 'model-invalid', /tokenizer\.json is a symlink loop \(ELOOP\)/);
    // An optional file that loops is an error too, not silently absent.
    replaceWith(join(dir, 'tokenizer.json'), linkTo(join(smallModel(), 'tokenizer.json')));
    replaceWith(join(dir, 'generation_config.json'), linkTo(join(dir, 'generation_config.json')));
    await rejectsWith(() => load(dir), 'model-invalid', /generation_config\.json is a symlink loop \(ELOOP\)/);
  });

  const secret = 'operator:x:1000:1000:do-not-quote-me:/home/operator:/bin/bash\n';
  for (const file of ['tokenizer.json', 'config.json', 'tokenizer_config.json', 'generation_config.json', 'inkwell.json']) {
    it(`${file} that is not JSON: the error names the file and never quotes it`, async () => {
      const dir = copyOf(smallModel());
      const elsewhere = join(scratch, `secret${serial++}`);
      writeFileSync(elsewhere, secret);
      replaceWith(join(dir, file), linkTo(elsewhere));
      const error = await rejectsWith(() => readModelFolder(dir), 'model-invalid', new RegExp(`${file.replace('.', '\\.')} is not valid JSON`));
      assert.doesNotMatch(`${error.message} ${JSON.stringify(error.details)}`, /operator|do-not-quote|1000/);
    });
  }

  it('the system password file behind tokenizer.json is not quoted', async (t) => {
    if (!existsSync('/etc/passwd')) return t.skip('no /etc/passwd here');
    const firstLine = readFileSync('/etc/passwd', 'utf8').split('\n')[0]!;
    const dir = copyOf(smallModel());
    replaceWith(join(dir, 'tokenizer.json'), linkTo('/etc/passwd'));
    const error = await rejectsWith(() => load(dir), 'model-invalid', /tokenizer\.json is not valid JSON/);
    assert.ok(!error.message.includes(firstLine.slice(0, 8)), error.message);
  });

  it('a syntax error says where, without the text', async () => {
    const dir = copyOf(smallModel());
    writeFileSync(join(dir, 'config.json'), '{\n  "model_type": "llama",\n  "secret-key" "do-not-quote"\n}');
    const error = await rejectsWith(() => readModelFolder(dir), 'model-invalid', /config\.json is not valid JSON \([A-Za-z ]+ at line 3, column \d+\)/);
    assert.doesNotMatch(error.message, /do-not-quote|secret-key/);
  });

  it('a --config file that is not JSON is not quoted either', () => {
    const file = join(scratch, `gen${serial++}.json`);
    writeFileSync(file, secret);
    assert.throws(() => readGenerationConfigFile(file), (e: unknown) => {
      assert.ok(InkwellError.is(e));
      assert.match(e.message, /is not valid JSON/);
      assert.doesNotMatch(e.message, /operator|do-not-quote/);
      return true;
    });
  });

  it("a tokenizer.json the library refuses: its message without the file's values", async () => {
    const dir = copyOf(smallModel());
    const tokenizer = JSON.parse(readFileSync(join(dir, 'tokenizer.json'), 'utf8'));
    tokenizer.normalizer = { type: 'operator:x:1000:1000:do-not-quote-me' };
    writeFileSync(join(dir, 'tokenizer.json'), JSON.stringify(tokenizer));
    const error = await rejectsWith(() => load(dir), 'tokenizer-invalid', /tokenizer\.json could not be loaded: Unknown Normalizer type \(the value is not shown\)/);
    assert.doesNotMatch(error.message, /do-not-quote/);
  });
});

describe("the graph's own position table wins over a larger config.json", () => {
  it('a GPT-2 graph with 128 wpe rows and n_positions 4096 serves 128 positions, with a warning', { timeout: 120_000 }, async () => {
    const dir = copyOf(testModel('gpt2', GPT2));
    const configFile = join(dir, 'config.json');
    const config = JSON.parse(readFileSync(configFile, 'utf8'));
    writeFileSync(configFile, JSON.stringify({ ...config, n_positions: 4096, n_ctx: 4096 }));
    for (const inWorker of [false, true]) {
      const loaded = await loadModel({ dir, device: 'cpu', dtype: 'fp32', inWorker });
      try {
        assert.equal(loaded.model.info.maxPositions, 128);
        assert.deepEqual(loaded.warnings, [
          "config.json says 4096 positions (max_position_embeddings / n_positions), but model.onnx's transformer.wpe.weight holds only 128: using 128",
        ]);
        // Past the table, a step is refused by name instead of indexing outside it.
        const cache = await loaded.model.createCache(1);
        const ids = Array.from({ length: 129 }, (_, i) => (i * 7) % 1000);
        await rejectsWith(
          () => loaded.model.forward(cache, { inputIds: Int32Array.from(ids), batch: 1, seqLen: 129, attentionMask: new Uint8Array(129).fill(1), positionIds: Int32Array.from(ids.keys()), logits: 'last' }),
          'invalid-argument',
          /sequence length 129 exceeds the model's 128 positions/,
        );
      } finally {
        await loaded.model.dispose();
      }
    }
  });

  it('a graph that computes its positions keeps config.json\'s count, without a warning', async () => {
    const loaded = await load(smallModel());
    try {
      assert.equal(loaded.model.info.maxPositions, 512);
      assert.deepEqual(loaded.warnings, []);
    } finally {
      await loaded.model.dispose();
    }
  });
});
