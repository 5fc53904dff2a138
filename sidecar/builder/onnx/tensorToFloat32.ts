import { onnx } from 'onnx-proto';
import { InkwellError } from '../../engine';
import { fromFloat16Array } from './float16';

const { DataType } = onnx.TensorProto;

/** Copies raw bytes into a fresh, aligned buffer (protobuf views may start at any offset). */
function alignedCopy(raw: Uint8Array): ArrayBuffer {
  const copy = new Uint8Array(raw.byteLength);
  copy.set(raw);
  return copy.buffer;
}

export function tensorElementCount(tensor: onnx.ITensorProto): number {
  return (tensor.dims ?? []).reduce<number>((n, d) => n * Number(d), 1);
}

/**
 * The values of a FLOAT or FLOAT16 initializer as a Float32Array (raw or typed storage).
 * External data must have been inlined first (`loadOnnxModel` does it).
 */
export function tensorToFloat32(tensor: onnx.ITensorProto): Float32Array {
  const count = tensorElementCount(tensor);
  const raw = tensor.rawData && tensor.rawData.byteLength > 0 ? tensor.rawData : undefined;
  let values: Float32Array;
  if (tensor.dataType === DataType.FLOAT) {
    values = raw ? new Float32Array(alignedCopy(raw)) : Float32Array.from(tensor.floatData ?? []);
  } else if (tensor.dataType === DataType.FLOAT16) {
    // Without raw data, fp16 values live as bit patterns in int32Data.
    const bits = raw ? new Uint16Array(alignedCopy(raw)) : Uint16Array.from(tensor.int32Data ?? []);
    values = fromFloat16Array(bits);
  } else {
    throw new InkwellError('model-invalid', `Initializer ${tensor.name} has data type ${tensor.dataType}; expected float32 or float16.`, {
      details: { tensor: tensor.name, dataType: tensor.dataType },
    });
  }
  if (values.length !== count) {
    throw new InkwellError('model-invalid', `Initializer ${tensor.name} holds ${values.length} values but its shape [${tensor.dims}] needs ${count}.`, {
      details: { tensor: tensor.name },
    });
  }
  return values;
}
