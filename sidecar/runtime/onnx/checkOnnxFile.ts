import { basename, dirname, join, resolve } from 'node:path';
import { InkwellError } from '../../engine';
import { checkModelFile, MODEL_FILE_LIMITS, statModelPath } from '../model/readModelFile';
import { graphPositionLimit, POSITION_OPS, type GraphPositionLimit } from './graphPositionLimit';
import { readGraphOutline, type GraphOutline } from './readGraphOutline';

/**
 * Checks an .onnx file and the external data files its initializers name before onnxruntime
 * opens them by path: each must be a regular file within its size limit (onnxruntime would wait
 * forever on a FIFO, or read /dev/zero without end). Returns what the graph's own tables say
 * about positions.
 */
export function checkOnnxFile(path: string): {
  readonly positionLimit: GraphPositionLimit | undefined;
  /** The graph attends through GroupQueryAttention, which reads lengths from the mask and assumes right padding. */
  readonly groupQueryAttention: boolean;
} {
  checkModelFile(path, MODEL_FILE_LIMITS.onnx);
  let outline: GraphOutline | undefined;
  try {
    outline = readGraphOutline(path, POSITION_OPS);
  } catch {
    // Not well-formed protobuf: onnxruntime says so, in its own words, when it opens the file.
  }
  // Without an outline, the data file optimum and onnx-community write beside the graph.
  const conventional = `${basename(path)}_data`;
  const locations = outline ? [...outline.externalData] : statModelPath(join(dirname(path), conventional)) ? [conventional] : [];
  for (const location of locations) {
    const file = resolve(dirname(path), location);
    try {
      checkModelFile(file, MODEL_FILE_LIMITS.onnxExternalData);
    } catch (error) {
      if (InkwellError.is(error) && error.code === 'model-not-found') {
        throw new InkwellError('model-invalid', `${path} keeps weights in ${location}, and ${file} does not exist`, { details: { file } });
      }
      throw error;
    }
  }
  return {
    positionLimit: outline && graphPositionLimit(outline),
    groupQueryAttention: outline?.nodes.some((n) => n.opType === 'GroupQueryAttention') ?? false,
  };
}
