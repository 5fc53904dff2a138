import * as fs from 'node:fs';
import * as path from 'node:path';
import { onnx } from 'onnx-proto';
import { InkwellError } from '../../engine';

/**
 * Reads an ONNX file. Initializers stored as external data (a side file next to the model) are
 * read into `rawData`, so callers see every tensor inline and can write the model back as one file.
 */
export function loadOnnxModel(file: string): onnx.ModelProto {
  if (!fs.existsSync(file)) {
    throw new InkwellError('model-not-found', `ONNX file not found: ${file}`, { details: { file } });
  }
  let model: onnx.ModelProto;
  try {
    model = onnx.ModelProto.decode(fs.readFileSync(file));
  } catch (cause) {
    throw new InkwellError('model-invalid', `Cannot parse ONNX file ${file}: ${(cause as Error).message}`, { cause, details: { file } });
  }
  if (!model.graph) throw new InkwellError('model-invalid', `ONNX file ${file} has no graph.`, { details: { file } });
  for (const tensor of model.graph.initializer ?? []) {
    if (tensor.dataLocation === onnx.TensorProto.DataLocation.EXTERNAL) inlineExternalData(tensor, path.dirname(file), file);
  }
  return model;
}

function inlineExternalData(tensor: onnx.ITensorProto, dir: string, file: string): void {
  const entries = new Map((tensor.externalData ?? []).map((e) => [e.key ?? '', e.value ?? '']));
  const location = entries.get('location');
  if (!location || path.isAbsolute(location) || location.split(/[\\/]/).includes('..')) {
    throw new InkwellError('model-invalid', `Initializer ${tensor.name} in ${file} has an invalid external data location "${location}".`, {
      details: { file, tensor: tensor.name },
    });
  }
  const sideFile = path.join(dir, location);
  if (!fs.existsSync(sideFile)) {
    throw new InkwellError('model-not-found', `External data file ${sideFile} (for ${tensor.name} in ${file}) is missing.`, {
      details: { file: sideFile },
    });
  }
  const offset = Number(entries.get('offset') ?? 0);
  const data = fs.readFileSync(sideFile);
  const length = entries.has('length') ? Number(entries.get('length')) : data.byteLength - offset;
  if (offset + length > data.byteLength) {
    throw new InkwellError('model-invalid', `External data for ${tensor.name} runs past the end of ${sideFile}.`, { details: { file: sideFile } });
  }
  tensor.rawData = new Uint8Array(data.subarray(offset, offset + length));
  tensor.dataLocation = onnx.TensorProto.DataLocation.DEFAULT;
  tensor.externalData = [];
}
