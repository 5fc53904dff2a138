/** Where a worker reply's float array lives: a shared area (sent only when it was replaced) and a length. */
export interface SharedFloatsRef {
  readonly buffer: SharedArrayBuffer | undefined;
  readonly length: number;
}

/**
 * A growable Float32 area in shared memory that the worker writes each step's logits into.
 * Transferring a fresh 600 KB buffer per step (a 152k vocabulary) made the main thread's garbage
 * collector run about as long as the step itself; one reused shared area allocates nothing.
 */
export class SharedFloatsWriter {
  private buffer = new SharedArrayBuffer(0);

  write(source: Float32Array): SharedFloatsRef {
    let replaced = false;
    if (source.byteLength > this.buffer.byteLength) {
      this.buffer = new SharedArrayBuffer(Math.max(source.byteLength, this.buffer.byteLength * 2));
      replaced = true;
    }
    new Float32Array(this.buffer, 0, source.length).set(source);
    return { buffer: replaced ? this.buffer : undefined, length: source.length };
  }
}

/** The main thread's side: the latest shared area, viewed at each reply's length. */
export class SharedFloatsReader {
  private buffer = new SharedArrayBuffer(0);

  read(ref: SharedFloatsRef): Float32Array {
    if (ref.buffer) this.buffer = ref.buffer;
    return new Float32Array(this.buffer, 0, ref.length);
  }
}
