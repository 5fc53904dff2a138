import { onnx } from 'onnx-proto';

export interface SplitModel {
  /** The model with large initializers pointing into the side file (the input is not modified). */
  readonly model: onnx.ModelProto;
  /** The side file's bytes. */
  readonly data: Uint8Array;
}

/** Below this many bytes an initializer stays inline, as onnx.save_model and onnxruntime do by default. */
const INLINE_BELOW = 1024;
/** Every offset is a multiple of this, so each tensor starts aligned for any element type. */
const MIN_ALIGNMENT = 64;
/**
 * Tensors of at least 1 MiB (onnxruntime's align_threshold) start on a 64 KiB boundary: the
 * allocation granularity on Windows and a multiple of the 4 KiB page elsewhere, so onnxruntime can
 * mmap them instead of copying.
 */
const MMAP_THRESHOLD = 1 << 20;
const MMAP_ALIGNMENT = 1 << 16;

const alignUp = (offset: number, alignment: number): number => Math.ceil(offset / alignment) * alignment;

/**
 * Moves the initializers' raw bytes into one side file, ONNX external-data style: each tensor gets
 * data_location EXTERNAL and external_data entries location (relative to the .onnx file), offset
 * and length; the gaps between tensors are zeros.
 */
export function splitExternalData(model: onnx.ModelProto, location: string): SplitModel {
  const placed: { tensor: onnx.ITensorProto; offset: number; bytes: Uint8Array }[] = [];
  let end = 0;
  const initializer = (model.graph?.initializer ?? []).map((tensor) => {
    const bytes = tensor.rawData;
    if (!bytes || bytes.byteLength < INLINE_BELOW) return tensor;
    const offset = alignUp(end, bytes.byteLength >= MMAP_THRESHOLD ? MMAP_ALIGNMENT : MIN_ALIGNMENT);
    end = offset + bytes.byteLength;
    placed.push({ tensor, offset, bytes });
    return onnx.TensorProto.create({
      name: tensor.name,
      dataType: tensor.dataType,
      dims: tensor.dims,
      docString: tensor.docString,
      dataLocation: onnx.TensorProto.DataLocation.EXTERNAL,
      externalData: [
        { key: 'location', value: location },
        { key: 'offset', value: String(offset) },
        { key: 'length', value: String(bytes.byteLength) },
      ],
    });
  });
  const data = new Uint8Array(end);
  for (const { offset, bytes } of placed) data.set(bytes, offset);
  const graph = onnx.GraphProto.create({ ...model.graph, initializer });
  return { model: onnx.ModelProto.create({ ...model, graph }), data };
}
