import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { InkwellError } from '../../engine';
import { parseModelArchitecture, type ModelArchitecture } from './modelArchitecture';
import { checkModelFile, MODEL_FILE_LIMITS, readModelJson, readModelText, statModelPath } from './readModelFile';
import { resolveModelReference } from './modelReference';
import { INKWELL_JSON_FILE, parseInkwellJson, type InkwellJson } from './inkwellJson';
import { GENAI_CONFIG_FILE, parseGenaiConfig, type GenaiDecoder } from './genaiConfig';
import { graphDtype } from './graphDtype';

/** onnx-community file names per dtype (onnx/model{suffix}.onnx). */
export const DTYPE_FILES = {
  fp32: 'model.onnx',
  fp16: 'model_fp16.onnx',
  q4: 'model_q4.onnx',
  q4f16: 'model_q4f16.onnx',
  int8: 'model_int8.onnx',
  uint8: 'model_uint8.onnx',
  quantized: 'model_quantized.onnx',
  bnb4: 'model_bnb4.onnx',
} as const;
export type ModelDtype = keyof typeof DTYPE_FILES;
/**
 * Whether `file` holds external data of the graph `graph` (the same folder, paths or names alike):
 * `model_q4.onnx_data`, `model_q4.onnx_data_1`, … as onnx-community names them, `model.onnx.data`
 * as onnxruntime-genai does.
 */
export function isExternalDataFile(file: string, graph: string): boolean {
  return file.startsWith(`${graph}_data`) || file.startsWith(`${graph}.data`);
}

/** Where transformers saves a folder's single chat template (instead of tokenizer_config.json). */
export const CHAT_TEMPLATE_FILE = 'chat_template.jinja';
export const MODEL_DTYPES = Object.keys(DTYPE_FILES) as ModelDtype[];
/** 'auto' prefers 4-bit (fastest on CPU, smallest), then full precision. */
export const AUTO_ORDER: readonly ModelDtype[] = ['q4', 'fp32', 'fp16', 'q4f16', 'int8', 'uint8', 'quantized', 'bnb4'];

export interface ModelFolder {
  readonly dir: string;
  readonly architecture: ModelArchitecture;
  readonly config: Readonly<Record<string, unknown>>;
  /** generation_config.json as written (snake_case), or undefined when the folder has none. */
  readonly generationConfig: Readonly<Record<string, unknown>> | undefined;
  readonly tokenizerJson: Readonly<Record<string, unknown>>;
  readonly tokenizerConfig: Readonly<Record<string, unknown>>;
  /**
   * chat_template.jinja, when the folder has one: transformers >= 4.5x saves a single chat
   * template there instead of in tokenizer_config.json, and reads it first when loading.
   */
  readonly chatTemplateFile: string | undefined;
  /** inkwell.json (what the model declares beyond Hugging Face's files), or {} when absent. */
  readonly inkwell: InkwellJson;
  /** Every onnx variant present, by dtype. */
  readonly onnxFiles: Readonly<Partial<Record<ModelDtype, string>>>;
  /**
   * An onnxruntime-genai folder (genai_config.json): one graph at the top, named there, with the
   * input/output names it is fed by; its dtype is read from the graph. Undefined otherwise.
   */
  readonly genai: GenaiDecoder | undefined;
}

type ModelJsonFile = 'config.json' | 'generation_config.json' | 'tokenizer.json' | 'tokenizer_config.json' | typeof INKWELL_JSON_FILE | typeof GENAI_CONFIG_FILE;
const JSON_LIMITS: Record<ModelJsonFile, number> = {
  'config.json': MODEL_FILE_LIMITS.config,
  [GENAI_CONFIG_FILE]: MODEL_FILE_LIMITS.config,
  'generation_config.json': MODEL_FILE_LIMITS.generationConfig,
  'tokenizer.json': MODEL_FILE_LIMITS.tokenizer,
  'tokenizer_config.json': MODEL_FILE_LIMITS.tokenizerConfig,
  [INKWELL_JSON_FILE]: MODEL_FILE_LIMITS.generationConfig,
};

function readJson(dir: string, name: ModelJsonFile, required: true): Record<string, unknown>;
function readJson(dir: string, name: ModelJsonFile, required: false): Record<string, unknown> | undefined;
function readJson(dir: string, name: ModelJsonFile, required: boolean): Record<string, unknown> | undefined {
  const path = join(dir, name);
  // Only a file that is not there at all is optional: a symlink loop or a FIFO is an error.
  if (statModelPath(path) === undefined) {
    if (!required) return undefined;
    throw new InkwellError('model-not-found', `model folder ${dir} has no ${name}`, { details: { file: path } });
  }
  const parsed = readModelJson(path, JSON_LIMITS[name]);
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
    throw new InkwellError('model-invalid', `${path} must hold a JSON object`, { details: { file: path } });
  }
  return parsed as Record<string, unknown>;
}

/**
 * Reads and checks a Hugging Face / onnx-community model folder (no onnxruntime involved).
 * `dirInput` is a model reference: a folder, or `org/name[@revision]` in the Hub cache.
 */
export function readModelFolder(dirInput: string): ModelFolder {
  const dir = resolveModelReference(dirInput);
  const stats = statModelPath(dir);
  if (stats === undefined) {
    throw new InkwellError('model-not-found', `model folder ${dir} does not exist`, { details: { file: dir } });
  }
  if (!stats.isDirectory()) {
    throw new InkwellError('model-not-found', `${dir} is a file, not a model folder (a folder with config.json, tokenizer.json and onnx/)`, { details: { file: dir } });
  }
  const genaiJson = readJson(dir, GENAI_CONFIG_FILE, false);
  const genai = genaiJson === undefined ? undefined : parseGenaiConfig(genaiJson, join(dir, GENAI_CONFIG_FILE));
  // The genai builder writes no config.json: its genai_config.json holds the same numbers.
  const config = (genai ? readJson(dir, 'config.json', false) : undefined) ?? genai?.hfConfig ?? readJson(dir, 'config.json', true);
  const architecture = parseModelArchitecture(config, join(dir, 'config.json'));
  const tokenizerJson = readJson(dir, 'tokenizer.json', true);
  if (typeof tokenizerJson.model !== 'object' || tokenizerJson.model === null) {
    throw new InkwellError('tokenizer-invalid', `${join(dir, 'tokenizer.json')}: field model is missing`, {
      details: { file: join(dir, 'tokenizer.json'), field: 'model' },
    });
  }
  const tokenizerConfig = readJson(dir, 'tokenizer_config.json', false) ?? {};
  const generationConfig = readJson(dir, 'generation_config.json', false);
  const inkwellJson = readJson(dir, INKWELL_JSON_FILE, false);
  const inkwell = inkwellJson === undefined ? {} : parseInkwellJson(inkwellJson, join(dir, INKWELL_JSON_FILE));
  const chatTemplatePath = join(dir, CHAT_TEMPLATE_FILE);
  const chatTemplateFile = statModelPath(chatTemplatePath) ? readModelText(chatTemplatePath, MODEL_FILE_LIMITS.chatTemplate) : undefined;

  const onnxDir = join(dir, 'onnx');
  const onnxFiles: Partial<Record<ModelDtype, string>> = {};
  const present = statModelPath(onnxDir)?.isDirectory() ? new Set(readdirSync(onnxDir)) : new Set<string>();
  for (const dtype of MODEL_DTYPES) {
    if (!genai && present.has(DTYPE_FILES[dtype])) onnxFiles[dtype] = join(onnxDir, DTYPE_FILES[dtype]);
  }
  if (genai) {
    const graph = join(dir, genai.filename);
    if (statModelPath(graph) === undefined) {
      throw new InkwellError('model-not-found', `${join(dir, GENAI_CONFIG_FILE)} names the graph ${genai.filename}, and ${graph} does not exist`, {
        details: { file: graph, field: 'model.decoder.filename' },
      });
    }
    checkModelFile(graph, MODEL_FILE_LIMITS.onnx);
    onnxFiles[graphDtype(graph, genai.names.pastKey(0))] = graph;
  }
  if (Object.keys(onnxFiles).length === 0) {
    throw new InkwellError(
      'model-not-found',
      `model folder ${dir} has no onnx/model*.onnx file (expected one of ${Object.values(DTYPE_FILES).join(', ')})`,
      { details: { file: onnxDir } },
    );
  }
  return { dir, architecture, config, generationConfig, tokenizerJson, tokenizerConfig, chatTemplateFile, inkwell, onnxFiles, genai };
}

/** The onnx file to load for a dtype request; 'auto' picks the best variant present. */
export function selectOnnxFile(folder: ModelFolder, dtype: ModelDtype | 'auto'): { dtype: ModelDtype; path: string } {
  if (dtype === 'auto') {
    const found = AUTO_ORDER.find((d) => folder.onnxFiles[d] !== undefined);
    // readModelFolder guarantees at least one variant.
    return { dtype: found!, path: folder.onnxFiles[found!]! };
  }
  if (!(MODEL_DTYPES as string[]).includes(dtype)) {
    throw new InkwellError('invalid-argument', `dtype "${dtype}" is unknown; allowed: auto, ${MODEL_DTYPES.join(', ')}`, {
      details: { field: 'dtype', value: dtype },
    });
  }
  const path = folder.onnxFiles[dtype];
  if (path === undefined && folder.genai) {
    const [held, graph] = Object.entries(folder.onnxFiles)[0]!;
    throw new InkwellError(
      'model-not-found',
      `model folder ${folder.dir} is an onnxruntime-genai build holding one graph, ${folder.genai.filename} (${held}), not ${dtype}; load it with dtype ${held} or auto (each genai precision is its own folder)`,
      { details: { field: 'dtype', value: dtype, file: graph } },
    );
  }
  if (path === undefined) {
    const available = Object.keys(folder.onnxFiles).join(', ');
    throw new InkwellError(
      'model-not-found',
      `model folder ${folder.dir} has no onnx/${DTYPE_FILES[dtype]} for dtype ${dtype}; available: ${available}`,
      { details: { field: 'dtype', value: dtype, file: join(folder.dir, 'onnx', DTYPE_FILES[dtype]) } },
    );
  }
  return { dtype, path };
}
