/**
 * Max-heap of symbol pairs for BPE training, ordered by count (highest first) and then by pair
 * key (lowest first), so that ties always resolve the same way and training is deterministic.
 * Entries are not updated in place: the trainer pushes a fresh entry whenever a pair's count
 * grows and discards stale ones when they surface (counts of existing pairs only ever shrink).
 */
export class PairQueue {
  private readonly counts: number[] = [];
  private readonly keys: number[] = [];

  get size(): number {
    return this.keys.length;
  }

  push(key: number, count: number): void {
    this.counts.push(count);
    this.keys.push(key);
    this.siftUp(this.keys.length - 1);
  }

  /** Removes the best entry; call only when `size > 0`. */
  pop(): { key: number; count: number } {
    const top = { key: this.keys[0], count: this.counts[0] };
    const lastKey = this.keys.pop()!;
    const lastCount = this.counts.pop()!;
    if (this.keys.length > 0) {
      this.keys[0] = lastKey;
      this.counts[0] = lastCount;
      this.siftDown(0);
    }
    return top;
  }

  private before(i: number, j: number): boolean {
    const ci = this.counts[i];
    const cj = this.counts[j];
    return ci > cj || (ci === cj && this.keys[i] < this.keys[j]);
  }

  private swap(i: number, j: number): void {
    const key = this.keys[i];
    this.keys[i] = this.keys[j];
    this.keys[j] = key;
    const count = this.counts[i];
    this.counts[i] = this.counts[j];
    this.counts[j] = count;
  }

  private siftUp(i: number): void {
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!this.before(i, parent)) return;
      this.swap(i, parent);
      i = parent;
    }
  }

  private siftDown(i: number): void {
    const n = this.keys.length;
    for (;;) {
      const left = 2 * i + 1;
      if (left >= n) return;
      const right = left + 1;
      const child = right < n && this.before(right, left) ? right : left;
      if (!this.before(child, i)) return;
      this.swap(child, i);
      i = child;
    }
  }
}
