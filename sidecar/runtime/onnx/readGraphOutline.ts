import { closeSync, fstatSync, openSync, readSync } from 'node:fs';

/** What graphPositionLimit needs of an ONNX graph: some nodes and the shapes of constant tensors. */
export interface GraphOutline {
  /** The nodes whose op_type was asked for, in graph order. */
  readonly nodes: readonly OutlineNode[];
  /** Fixed shapes of initializers, Constant node outputs and graph inputs (a dim without a fixed size is -1). */
  readonly shapes: ReadonlyMap<string, readonly number[]>;
  readonly inputs: ReadonlySet<string>;
  /** Graph inputs' TensorProto element types (1 float, 10 float16, 16 bfloat16, 6 int32, 7 int64). */
  readonly inputTypes: ReadonlyMap<string, number>;
  /** Names that are initializers or Constant outputs (fixed data, not fed). */
  readonly constants: ReadonlySet<string>;
  /** The files initializers keep their data in (TensorProto.external_data "location"), as written. */
  readonly externalData: ReadonlySet<string>;
}

export interface OutlineNode {
  readonly opType: string;
  readonly domain: string;
  readonly inputs: readonly string[];
  /** The node's integer attributes (e.g. MatMulNBits' bits). */
  readonly attributes: ReadonlyMap<string, number>;
}

/** A length-delimited field not read yet: where its bytes are. */
interface Span {
  readonly start: number;
  readonly length: number;
}
type FieldValue = number | Span;

/**
 * Reads the outline of an ONNX model file without loading it: onnxruntime-node exposes a
 * session's inputs and outputs but not its initializers, and the weights (most of the file) are
 * skipped here by seeking past them. Only the top-level graph is read (not If/Loop bodies).
 * Throws on a file that is not well-formed protobuf; callers treat that as "nothing known".
 */
export function readGraphOutline(file: string, opTypes: ReadonlySet<string>): GraphOutline {
  const fd = openSync(file, 'r');
  try {
    const reader = new FileReader(fd, fstatSync(fd).size);
    const model = reader.fields({ start: 0, length: reader.size });
    const graph = lastSpan(model, 7);
    const nodes: OutlineNode[] = [];
    const shapes = new Map<string, readonly number[]>();
    const inputs = new Set<string>();
    const inputTypes = new Map<string, number>();
    const constants = new Set<string>();
    const externalData = new Set<string>();
    if (!graph) return { nodes, shapes, inputs, inputTypes, constants, externalData };
    reader.forEachField(graph, (field, value) => {
      if (typeof value === 'number') return;
      if (field === 1) {
        const node = reader.fields(value);
        const opType = reader.text(lastSpan(node, 4));
        const domain = reader.text(lastSpan(node, 7));
        if (opType === 'Constant') {
          const output = reader.text(spans(node, 2)[0]);
          for (const attribute of spans(node, 5).map((s) => reader.fields(s))) {
            const tensor = lastSpan(attribute, 5);
            if (reader.text(lastSpan(attribute, 1)) === 'value' && tensor) {
              shapes.set(output, tensorDims(reader, reader.fields(tensor)));
              constants.add(output);
            }
          }
        } else if (opTypes.has(opType)) {
          nodes.push({ opType, domain, inputs: spans(node, 1).map((s) => reader.text(s)), attributes: intAttributes(reader, spans(node, 5)) });
        }
      } else if (field === 5) {
        const tensor = reader.fields(value);
        const name = reader.text(lastSpan(tensor, 8));
        shapes.set(name, tensorDims(reader, tensor));
        constants.add(name);
        for (const entry of spans(tensor, 13).map((e) => reader.fields(e))) {
          if (reader.text(lastSpan(entry, 1)) === 'location') externalData.add(reader.text(lastSpan(entry, 2)));
        }
      } else if (field === 11) {
        const info = reader.fields(value);
        const name = reader.text(lastSpan(info, 1));
        inputs.add(name);
        const dims = valueInfoDims(reader, lastSpan(info, 2));
        if (dims && !shapes.has(name)) shapes.set(name, dims);
        const elemType = valueInfoElemType(reader, lastSpan(info, 2));
        if (elemType !== undefined) inputTypes.set(name, elemType);
      }
    });
    return { nodes, shapes, inputs, inputTypes, constants, externalData };
  } finally {
    closeSync(fd);
  }
}

/** TensorProto.dims (field 1), packed or not. */
function tensorDims(reader: FileReader, tensor: Map<number, FieldValue[]>): number[] {
  const dims: number[] = [];
  for (const value of tensor.get(1) ?? []) {
    if (typeof value === 'number') dims.push(value);
    else dims.push(...reader.packedVarints(value));
  }
  return dims;
}

/** ValueInfoProto.type → TypeProto.tensor_type → shape → dim[].dim_value (-1 for a named dim). */
function valueInfoDims(reader: FileReader, type: Span | undefined): number[] | undefined {
  const tensorType = type && lastSpan(reader.fields(type), 1);
  const shape = tensorType && lastSpan(reader.fields(tensorType), 2);
  if (!shape) return undefined;
  return spans(reader.fields(shape), 1).map((d) => {
    const value = reader.fields(d).get(1)?.at(-1);
    return typeof value === 'number' ? value : -1;
  });
}

/** ValueInfoProto.type → TypeProto.tensor_type → elem_type. */
function valueInfoElemType(reader: FileReader, type: Span | undefined): number | undefined {
  const tensorType = type && lastSpan(reader.fields(type), 1);
  const value = tensorType && reader.fields(tensorType).get(1)?.at(-1);
  return typeof value === 'number' ? value : undefined;
}

/** AttributeProto name (1) → i (3), for the attributes that hold an integer. */
function intAttributes(reader: FileReader, attributes: readonly Span[]): Map<string, number> {
  const out = new Map<string, number>();
  for (const attribute of attributes.map((a) => reader.fields(a))) {
    const value = attribute.get(3)?.at(-1);
    if (typeof value === 'number') out.set(reader.text(lastSpan(attribute, 1)), value);
  }
  return out;
}

function spans(message: Map<number, FieldValue[]>, field: number): Span[] {
  return (message.get(field) ?? []).filter((v): v is Span => typeof v !== 'number');
}

function lastSpan(message: Map<number, FieldValue[]>, field: number): Span | undefined {
  return spans(message, field).at(-1);
}

const MAX_TEXT = 4096;

/** Random-access protobuf reading over a file descriptor through a small window. */
class FileReader {
  private window = Buffer.alloc(64 * 1024);
  private windowStart = 0;
  private windowLength = 0;

  constructor(
    private readonly fd: number,
    readonly size: number,
  ) {}

  /** Every field of the message in `span`: varints as numbers, length-delimited ones as spans. */
  fields(span: Span): Map<number, FieldValue[]> {
    const out = new Map<number, FieldValue[]>();
    this.forEachField(span, (field, value) => {
      let list = out.get(field);
      if (!list) out.set(field, (list = []));
      list.push(value);
    });
    return out;
  }

  forEachField(span: Span, visit: (field: number, value: FieldValue) => void): void {
    const end = span.start + span.length;
    if (end > this.size) throw new Error('a field runs past the end of the file');
    let pos = span.start;
    while (pos < end) {
      const key = this.varint(pos);
      pos = key.next;
      const field = Math.floor(key.value / 8);
      const wire = key.value % 8;
      if (wire === 0) {
        const value = this.varint(pos);
        pos = value.next;
        visit(field, value.value);
      } else if (wire === 2) {
        const length = this.varint(pos);
        if (length.value < 0) throw new Error('a negative length');
        const start = length.next;
        pos = start + length.value;
        if (pos > end) throw new Error('a length-delimited field runs past its message');
        visit(field, { start, length: length.value });
      } else if (wire === 1) pos += 8;
      else if (wire === 5) pos += 4;
      else throw new Error(`wire type ${wire} is not used by ONNX`);
    }
    if (pos !== end) throw new Error('a field runs past its message');
  }

  text(span: Span | undefined): string {
    if (!span || span.length > MAX_TEXT) return '';
    return this.bytes(span.start, span.length).toString('utf8');
  }

  packedVarints(span: Span): number[] {
    const out: number[] = [];
    for (let pos = span.start; pos < span.start + span.length; ) {
      const v = this.varint(pos);
      out.push(v.value);
      pos = v.next;
    }
    return out;
  }

  /** A varint; one past 2^53 (a negative int64, say) reads as -1, which no caller takes for a size. */
  private varint(pos: number): { value: number; next: number } {
    let value = 0;
    let scale = 1;
    for (let i = 0; i < 10; i++) {
      const byte = this.byteAt(pos + i);
      value += (byte & 0x7f) * scale;
      scale *= 128;
      if ((byte & 0x80) === 0) return { value: i >= 7 ? -1 : value, next: pos + i + 1 };
    }
    throw new Error('a varint longer than 10 bytes');
  }

  private byteAt(pos: number): number {
    if (pos < this.windowStart || pos >= this.windowStart + this.windowLength) this.fill(pos, 1);
    return this.window[pos - this.windowStart]!;
  }

  private bytes(pos: number, length: number): Buffer {
    if (pos < this.windowStart || pos + length > this.windowStart + this.windowLength) this.fill(pos, length);
    return this.window.subarray(pos - this.windowStart, pos - this.windowStart + length);
  }

  private fill(pos: number, atLeast: number): void {
    if (pos + atLeast > this.size) throw new Error('read past the end of the file');
    this.windowStart = pos;
    this.windowLength = readSync(this.fd, this.window, 0, Math.min(this.window.length, this.size - pos), pos);
    if (this.windowLength < atLeast) throw new Error('the file is shorter than it said');
  }
}
