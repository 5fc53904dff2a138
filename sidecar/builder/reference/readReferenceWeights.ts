import * as fs from 'node:fs';
import * as path from 'node:path';
import { onnx } from 'onnx-proto';
import { InkwellError } from '../../engine';
import { decoderSpecFromHfConfig, type DecoderSpec } from '../DecoderSpec';
import { loadOnnxModel } from '../onnx/loadOnnxModel';
import { tensorToFloat32 } from '../onnx/tensorToFloat32';

/** config.json's architecture and the float initializers of one ONNX file (external data read in). */
export function readReferenceWeights(modelDir: string, onnxFile: string): { spec: DecoderSpec; tensors: Map<string, Float32Array> } {
  const configFile = path.join(modelDir, 'config.json');
  if (!fs.existsSync(configFile)) throw new InkwellError('model-not-found', `Missing ${configFile}.`, { details: { file: configFile } });
  const spec = decoderSpecFromHfConfig(JSON.parse(fs.readFileSync(configFile, 'utf8')), configFile);
  const model = loadOnnxModel(path.join(modelDir, onnxFile));
  const tensors = new Map<string, Float32Array>();
  for (const t of model.graph?.initializer ?? []) {
    const isFloat = t.dataType === onnx.TensorProto.DataType.FLOAT || t.dataType === onnx.TensorProto.DataType.FLOAT16;
    if (t.name && isFloat) tensors.set(t.name, tensorToFloat32(t));
  }
  return { spec, tensors };
}

/** An initializer by name, checked for size. */
export function requireTensor(tensors: ReadonlyMap<string, Float32Array>, name: string, size: number): Float32Array {
  const t = tensors.get(name);
  if (!t || t.length !== size) {
    throw new InkwellError('model-invalid', `Initializer ${name} is missing or has ${t?.length} values, expected ${size}.`, { details: { name } });
  }
  return t;
}
