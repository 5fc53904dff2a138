import { copyFileSync, existsSync, mkdirSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { basename, dirname, join, relative, resolve } from 'node:path';
import { InkwellError } from '../../engine';
import { exposeLastHiddenState } from '../../builder/onnx/exposeLastHiddenState';
import { isExternalDataFile, MODEL_DTYPES, readModelFolder, selectOnnxFile, type ModelDtype } from '../../runtime/index';
import type { CliOutput } from '../CliOutput';
import { choiceFlag, parseFlags, requireFlag } from '../parseFlags';

export const exposeHiddenStatesUsage = 'inkwell dev expose-hidden-states --model DIR|org/name --out DIR [--dtype auto|fp32|q4|…]   (a copy whose graph also outputs last_hidden_state, for contrastive search)';

/**
 * Writes a copy of a model folder (its files and the chosen dtype's graph with that graph's
 * external data) whose graph also outputs `last_hidden_state`, so contrastive search runs on an
 * export that lacks it (optimum's and onnxruntime-genai's do). The original is not touched.
 */
export async function exposeHiddenStatesCommand(argv: readonly string[], io: CliOutput): Promise<number> {
  const { values } = parseFlags('dev expose-hidden-states', argv, { model: { type: 'string' }, out: { type: 'string' }, dtype: { type: 'string' } });
  const model = requireFlag('dev expose-hidden-states', 'model', values.model);
  const out = resolve(requireFlag('dev expose-hidden-states', 'out', values.out));
  const dtype = choiceFlag<ModelDtype | 'auto'>('dtype', values.dtype, 'auto', ['auto', ...MODEL_DTYPES]);
  const folder = readModelFolder(model);
  const graph = selectOnnxFile(folder, dtype);
  if (resolve(folder.dir) === out) throw new InkwellError('invalid-argument', '--out must differ from the model folder: the original stays as it is', { details: { field: 'out' } });
  if (existsSync(out) && readdirSync(out).length > 0) throw new InkwellError('invalid-argument', `--out ${out} exists and is not empty`, { details: { field: 'out', value: out } });
  const exposed = exposeLastHiddenState(graph.path);
  const graphDir = dirname(graph.path);
  const graphName = basename(graph.path);
  // The folder's own files (config, tokenizer, …), then the graph's directory: the graph rewritten, its external data copied.
  for (const name of readdirSync(folder.dir)) {
    const path = join(folder.dir, name);
    if (statSync(path).isFile() && path !== graph.path && !(folder.dir === graphDir && isExternalDataFile(name, graphName))) copy(path, join(out, name));
  }
  for (const name of readdirSync(graphDir)) {
    if (isExternalDataFile(name, graphName)) copy(join(graphDir, name), join(out, relative(folder.dir, graphDir), name));
  }
  const target = join(out, relative(folder.dir, graph.path));
  mkdirSync(dirname(target), { recursive: true });
  writeFileSync(target, exposed.bytes);
  io.out(`${out}\n`);
  io.err(`${relative(folder.dir, graph.path)} (${graph.dtype}) now also outputs last_hidden_state (the ${exposed.head} head's input ${exposed.hiddenTensor}); contrastive search: inkwell generate --model ${out} --dtype ${graph.dtype} --set penalty_alpha=0.6 --set top_k=4 …\n`);
  return 0;
}

function copy(from: string, to: string): void {
  mkdirSync(dirname(to), { recursive: true });
  copyFileSync(from, to);
}
