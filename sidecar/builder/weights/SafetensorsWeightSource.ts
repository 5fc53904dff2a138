import * as fs from 'node:fs';
import { InkwellError } from '../../engine';
import { fromFloat16Bits } from '../onnx/float16';
import type { WeightSource } from './WeightSource';

interface TensorEntry {
  readonly dtype: string;
  readonly shape: readonly number[];
  readonly data_offsets: readonly [number, number];
}

const BYTES: Readonly<Record<string, number>> = { F32: 4, F16: 2, BF16: 2 };

/**
 * Trained weights from one .safetensors file (a u64 little-endian header length, a JSON header,
 * then the tensor bytes). F32, F16 and BF16 tensors are converted to float32 on read.
 */
export class SafetensorsWeightSource implements WeightSource {
  private constructor(
    private readonly file: string,
    private readonly bytes: Buffer,
    private readonly entries: Readonly<Record<string, TensorEntry>>,
    private readonly dataStart: number,
  ) {}

  static open(file: string): SafetensorsWeightSource {
    if (!fs.existsSync(file)) throw new InkwellError('model-not-found', `Weights file not found: ${file}`, { details: { file } });
    const bytes = fs.readFileSync(file);
    const fail = (why: string): never => {
      throw new InkwellError('model-invalid', `${file} is not a valid safetensors file: ${why}.`, { details: { file } });
    };
    if (bytes.byteLength < 8) fail('too short');
    const headerLength = Number(bytes.readBigUInt64LE(0));
    if (8 + headerLength > bytes.byteLength) fail('header runs past the end');
    let header: Record<string, unknown> = {};
    try {
      header = JSON.parse(bytes.toString('utf8', 8, 8 + headerLength));
    } catch {
      fail('header is not JSON');
    }
    delete header.__metadata__;
    return new SafetensorsWeightSource(file, bytes, header as Record<string, TensorEntry>, 8 + headerLength);
  }

  names(): string[] {
    return Object.keys(this.entries);
  }

  get(name: string, shape: readonly number[]): Float32Array {
    const entry = this.entries[name];
    const details = { file: this.file, tensor: name };
    if (!entry || !Array.isArray(entry.shape) || !Array.isArray(entry.data_offsets)) {
      throw new InkwellError('model-invalid', `${this.file} has no tensor ${name}.`, { details });
    }
    if (entry.shape.join() !== shape.join()) {
      throw new InkwellError('model-invalid', `${this.file}: ${name} has shape [${entry.shape}], expected [${shape}].`, { details });
    }
    const width = BYTES[entry.dtype];
    if (width === undefined) throw new InkwellError('model-invalid', `${this.file}: ${name} has unsupported dtype ${entry.dtype}.`, { details });
    const [begin, end] = entry.data_offsets;
    const count = shape.reduce((a, b) => a * b, 1);
    if (end - begin !== count * width || this.dataStart + end > this.bytes.byteLength) {
      throw new InkwellError('model-invalid', `${this.file}: ${name} has a byte range that does not fit its shape.`, { details });
    }
    const out = new Float32Array(count);
    const base = this.dataStart + begin;
    for (let i = 0; i < count; i++) {
      const at = base + i * width;
      if (entry.dtype === 'F32') out[i] = this.bytes.readFloatLE(at);
      else if (entry.dtype === 'F16') out[i] = fromFloat16Bits(this.bytes.readUInt16LE(at));
      else out[i] = new Float32Array(new Uint32Array([this.bytes.readUInt16LE(at) << 16]).buffer)[0];
    }
    return out;
  }
}

/** Writes float32 tensors as a .safetensors file (for tests, and to hand random weights to PyTorch). */
export function writeSafetensors(file: string, tensors: ReadonlyMap<string, { shape: readonly number[]; data: Float32Array }>): void {
  const header: Record<string, TensorEntry> = {};
  let offset = 0;
  for (const [name, t] of tensors) {
    header[name] = { dtype: 'F32', shape: t.shape, data_offsets: [offset, offset + t.data.byteLength] };
    offset += t.data.byteLength;
  }
  let json = JSON.stringify(header);
  json += ' '.repeat((8 - (json.length % 8)) % 8); // keep the data 8-byte aligned
  const head = Buffer.alloc(8);
  head.writeBigUInt64LE(BigInt(Buffer.byteLength(json)));
  const parts: Uint8Array[] = [head, Buffer.from(json)];
  for (const t of tensors.values()) parts.push(Buffer.from(t.data.buffer, t.data.byteOffset, t.data.byteLength));
  fs.writeFileSync(file, Buffer.concat(parts));
}
