/**
 * Speculative decoding bench: `node --import tsx test/bench/assistedDecoding.ts [--rounds N]`.
 * 1. A main/assistant pair that is close but not equal: the assistant is 1 decoder layer; the
 *    main model has the same embeddings, first layer, final norm and head (RandomWeightSource
 *    streams depend only on seed + tensor name) plus 5 more layers whose output projections are
 *    scaled by EPS, so their updates are small. Greedy, plain vs assisted (heuristic, K = 2..8).
 * 2. Prompt lookup on an edit workload: reproduce a 200-line file with one line changed. A random
 *    model does not copy, so the main model's logits get a +40 bias on the target file's next
 *    token (the forward pass, the cost measured, is the real ONNX one).
 * Every assisted output is checked equal to plain decoding's before its time counts.
 */
import { performance } from 'node:perf_hooks';
import { parseGenerationConfig } from '../../sidecar/engine/config/parseGenerationConfig';
import { generate } from '../../sidecar/engine/generation/generate';
import type { ForwardInput, KvCache, LanguageModel } from '../../sidecar/engine/model/LanguageModel';
import type { MakeDevModelOptions } from '../../sidecar/builder/makeDevModel';
import { resolveDecoderSpec } from '../../sidecar/builder/DecoderSpec';
import { RandomWeightSource } from '../../sidecar/builder/weights/RandomWeightSource';
import type { WeightSource } from '../../sidecar/builder/weights/WeightSource';
import { loadModel, type LoadedModel } from '../../sidecar/runtime/index';
import { testModel } from '../support/testModels';

const epsArg = process.argv.indexOf('--eps');
/** Scale of the main model's extra layers: smaller = closer to the assistant = higher acceptance. */
const EPS = epsArg >= 0 ? Number(process.argv[epsArg + 1]) : 0.03;
/** `--assistant-only`: skip the (long) prompt-lookup workload. */
const ASSISTANT_ONLY = process.argv.includes('--assistant-only');
const DIMS = { hidden: 256, heads: 4, kvHeads: 2, intermediate: 704, vocab: 4096, maxPositions: 8192, seed: 21, dtypes: ['fp32' as const] };
const roundsArg = process.argv.indexOf('--rounds');
const ROUNDS = roundsArg >= 0 ? Number(process.argv[roundsArg + 1]) : 3;

function mainWeights(layers: number): WeightSource {
  const spec = resolveDecoderSpec({ ...DIMS, layers });
  const base = new RandomWeightSource(spec, DIMS.seed);
  return {
    get(name, shape) {
      const values = base.get(name, shape);
      const layer = /^model\.layers\.(\d+)\.(self_attn\.o_proj|mlp\.down_proj)\.weight$/.exec(name);
      if (layer && Number(layer[1]) >= 1) for (let i = 0; i < values.length; i++) values[i]! *= EPS;
      return values;
    },
  };
}

/** Adds `bias` to the logit of target[position + 1] at each position: a model that copies the target. */
class CopyingModel implements LanguageModel {
  constructor(private readonly inner: LanguageModel, private readonly target: readonly number[], private readonly bias = 40) {}
  get info() { return this.inner.info; }
  createCache(batch: number) { return this.inner.createCache(batch); }
  cropCache(cache: KvCache, length: number) { return this.inner.cropCache(cache, length); }
  selectCacheRows(cache: KvCache, rows: readonly number[]) { return this.inner.selectCacheRows(cache, rows); }
  releaseCache(cache: KvCache) { return this.inner.releaseCache(cache); }
  dispose() { return this.inner.dispose(); }
  async forward(cache: KvCache, input: ForwardInput, signal?: AbortSignal) {
    const { cache: next, output } = await this.inner.forward(cache, input, signal);
    const width = this.info.vocabSize;
    const logits = output.logits;
    const rows = input.logits === 'all' ? input.seqLen : 1;
    for (let r = 0; r < rows; r++) {
      const position = input.positionIds[input.logits === 'all' ? r : input.seqLen - 1]!;
      const token = this.target[position + 1];
      if (token !== undefined) logits[r * width + token]! += this.bias;
    }
    return { cache: next, output };
  }
}

async function timed(model: LanguageModel, loaded: LoadedModel, prompt: number[], json: Record<string, unknown>, assistant?: LoadedModel) {
  const config = parseGenerationConfig(json).config;
  const start = performance.now();
  const result = await generate(model, loaded.tokenizer, {
    prompts: [prompt], config, ...(assistant && { assistant: { model: assistant.model, tokenizer: assistant.tokenizer, name: assistant.folder.dir } }),
  }).result();
  return { ms: performance.now() - start, result };
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

async function main(): Promise<void> {
  const assistantDir = testModel('spec-assistant', { ...DIMS, layers: 1 });
  const mainDir = testModel(`spec-main-eps${EPS}`, { ...DIMS, layers: 6, weights: mainWeights(6) } as unknown as Omit<MakeDevModelOptions, 'dir'>);
  const mainModel = await loadModel({ dir: mainDir, dtype: 'fp32', device: 'cpu', inWorker: false });
  const assistant = await loadModel({ dir: assistantDir, dtype: 'fp32', device: 'cpu', inWorker: false });
  const prompt = mainModel.tokenizer.encode('def fibonacci(n):\n    """Return the n-th Fibonacci number."""\n');
  const greedy = { max_new_tokens: 128, eos_token_id: [], assistant_confidence_threshold: 0 };
  const rows: string[] = ['| drafter | schedule | acceptance | tokens / main forward | plain ms | assisted ms | speedup |', '|---|---|---:|---:|---:|---:|---:|'];
  const settings: [string, Record<string, unknown>][] = [['heuristic (start 5)', { num_assistant_tokens: 5, num_assistant_tokens_schedule: 'heuristic' }]];
  for (let k = 2; k <= 8; k++) settings.push([`constant K = ${k}`, { num_assistant_tokens: k }]);
  for (const [name, extra] of settings) {
    const plainMs: number[] = [];
    const assistedMs: number[] = [];
    let stats;
    for (let round = 0; round < ROUNDS; round++) {
      // Alternate which goes first: drift on a noisy machine hits both alike.
      const order = round % 2 === 0 ? ['plain', 'assisted'] : ['assisted', 'plain'];
      let plainIds: readonly number[] = [];
      let assistedIds: readonly number[] = [];
      for (const which of order) {
        if (which === 'plain') {
          const r = await timed(mainModel.model, mainModel, prompt, greedy);
          plainMs.push(r.ms);
          plainIds = r.result.sequences[0]!.tokenIds;
        } else {
          const r = await timed(mainModel.model, mainModel, prompt, { ...greedy, ...extra, assistant_model: assistantDir }, assistant);
          assistedMs.push(r.ms);
          assistedIds = r.result.sequences[0]!.tokenIds;
          stats = r.result.assisted!;
        }
      }
      if (plainIds.join() !== assistedIds.join()) throw new Error(`${name}: assisted output differs from plain greedy`);
    }
    rows.push(`| assistant | ${name} | ${stats!.acceptanceRate.toFixed(2)} | ${stats!.tokensPerMainForward.toFixed(2)} | ${median(plainMs).toFixed(0)} | ${median(assistedMs).toFixed(0)} | ${(median(plainMs) / median(assistedMs)).toFixed(2)}× |`);
    console.error(rows.at(-1));
  }

  if (ASSISTANT_ONLY) {
    console.log(rows.join('\n'));
    await assistant.model.dispose();
    await mainModel.model.dispose();
    return;
  }
  // Prompt lookup: reproduce a 200-line file with one line changed.
  const lines = Array.from({ length: 200 }, (_, i) => `    t${i % 17} = f(v[${i}], ${(i * 7) % 13})`);
  const edited = [...lines];
  edited[120] = '    t3 = f(v[120], 99)  # changed';
  const request = `# Rewrite this file with line 121 changed.\n${lines.join('\n')}\n# Result:\n`;
  const promptIds = mainModel.tokenizer.encode(request);
  const target = [...promptIds, ...mainModel.tokenizer.encode(`${edited.join('\n')}\n`)];
  const copying = new CopyingModel(mainModel.model, target);
  const newTokens = target.length - promptIds.length;
  for (const n of [10, 20]) {
    const plainMs: number[] = [];
    const lookupMs: number[] = [];
    let stats;
    for (let round = 0; round < ROUNDS; round++) {
      const base = { max_new_tokens: newTokens, eos_token_id: [] };
      const a = await timed(copying, mainModel, promptIds, base);
      const b = await timed(copying, mainModel, promptIds, { ...base, prompt_lookup_num_tokens: n, max_matching_ngram_size: 3 });
      if (a.result.sequences[0]!.tokenIds.join() !== b.result.sequences[0]!.tokenIds.join()) throw new Error('prompt lookup output differs from plain');
      plainMs.push(a.ms);
      lookupMs.push(b.ms);
      stats = b.result.assisted!;
    }
    rows.push(`| prompt lookup (${newTokens}-token edit) | ${n} tokens, n-gram ≤ 3 | ${stats!.acceptanceRate.toFixed(2)} | ${stats!.tokensPerMainForward.toFixed(2)} | ${median(plainMs).toFixed(0)} | ${median(lookupMs).toFixed(0)} | ${(median(plainMs) / median(lookupMs)).toFixed(2)}× |`);
    console.error(rows.at(-1));
  }
  console.log(rows.join('\n'));
  await assistant.model.dispose();
  await mainModel.model.dispose();
}

void main();
