import { InkwellError } from '../engine';
import { AUTO_ORDER, DTYPE_FILES, isExternalDataFile, MODEL_DTYPES, type ModelDtype } from '../runtime/model/modelFolder';

/** A file of a repo at one commit, as the Hub's tree API lists it. */
export interface RepoFile {
  readonly path: string;
  readonly size: number;
  /** Git blob id (sha1): the ETag and blob name of a file stored in git. */
  readonly oid: string;
  /** sha256 of the content, for a file stored in LFS: its blob name and what the download is checked against. */
  readonly lfsSha256?: string;
}

export interface DownloadPlan {
  readonly dtype: ModelDtype;
  readonly files: readonly RepoFile[];
}

/** What a model folder needs besides its graph: config first, so a pre-check can read it before anything large. */
const MODEL_FILES = ['config.json', 'generation_config.json', 'tokenizer.json', 'tokenizer_config.json', 'special_tokens_map.json', 'chat_template.jinja', 'inkwell.json'];
const REQUIRED_FILES = ['config.json', 'tokenizer.json'];

/** The dtypes a repo has an onnx/ graph for, in the order 'auto' prefers them. */
export function onnxVariants(files: readonly RepoFile[]): ModelDtype[] {
  const paths = new Set(files.map((f) => f.path));
  return AUTO_ORDER.filter((dtype) => paths.has(`onnx/${DTYPE_FILES[dtype]}`));
}

/**
 * Only what running the model at one dtype needs: the config and tokenizer files, the dtype's
 * graph and its external data (`model_q4.onnx_data`, `model_q4.onnx_data_1`, … as onnx-community
 * names them). Throws naming the field when the repo cannot give that.
 */
export function planDownload(repoId: string, files: readonly RepoFile[], dtypeRequest: ModelDtype | 'auto'): DownloadPlan {
  const variants = onnxVariants(files);
  if (variants.length === 0) {
    throw new InkwellError('model-invalid', `${repoId} has no ONNX export (no onnx/model*.onnx): Inkwell runs ONNX models; look for an onnx-community/ version of it`, {
      details: { field: 'dtype', repoId },
    });
  }
  if (dtypeRequest !== 'auto' && !(MODEL_DTYPES as string[]).includes(dtypeRequest)) {
    throw new InkwellError('invalid-argument', `--dtype ${dtypeRequest} is unknown; allowed: auto, ${MODEL_DTYPES.join(', ')}`, { details: { field: 'dtype', value: dtypeRequest } });
  }
  const dtype = dtypeRequest === 'auto' ? variants[0]! : dtypeRequest;
  if (!variants.includes(dtype)) {
    throw new InkwellError('model-invalid', `${repoId} has no onnx/${DTYPE_FILES[dtype]} for --dtype ${dtype}; it has: ${variants.join(', ')}`, {
      details: { field: 'dtype', value: dtype, available: variants },
    });
  }
  for (const required of REQUIRED_FILES) {
    if (!files.some((f) => f.path === required)) {
      throw new InkwellError('model-invalid', `${repoId} has no ${required}: not a complete model folder`, { details: { field: 'files', file: required } });
    }
  }
  const graph = `onnx/${DTYPE_FILES[dtype]}`;
  const wanted = [
    ...MODEL_FILES.map((name) => files.find((f) => f.path === name)).filter((f): f is RepoFile => f !== undefined),
    files.find((f) => f.path === graph)!,
    ...files.filter((f) => isExternalDataFile(f.path, graph)).sort((a, b) => a.path.localeCompare(b.path)),
  ];
  return { dtype, files: wanted };
}
