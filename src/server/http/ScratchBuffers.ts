/**
 * Buffers reused from one response to the next. A plot's M4 columns (up to 850 KB at the widest)
 * are written into one of these and sent from it: a fresh buffer per plot is what set off the
 * garbage collector's full pauses every hundred or so plots (V8 counts buffer bytes towards
 * starting a full collection), and those pauses were the slowest plots.
 */
export class ScratchBuffers {
  private readonly free: ArrayBuffer[] = [];

  /** Keeps up to `keep` released buffers (enough for the responses that are in flight at once). */
  constructor(private readonly keep = 8) {}

  /** A buffer of at least `bytes` bytes that no other response is using. */
  acquire(bytes: number): ArrayBuffer {
    const i = this.free.findIndex((buffer) => buffer.byteLength >= bytes);
    if (i < 0) return new ArrayBuffer(bytes);
    return this.free.splice(i, 1)[0]!;
  }

  /** Gives a buffer back once nothing reads it any more; beyond `keep`, the smallest is dropped. */
  release(buffer: ArrayBuffer): void {
    this.free.push(buffer);
    if (this.free.length > this.keep) {
      const smallest = this.free.reduce((s, b, i) => (b.byteLength < this.free[s]!.byteLength ? i : s), 0);
      this.free.splice(smallest, 1);
    }
  }

  /** Buffers waiting to be reused (for tests). */
  get available(): number {
    return this.free.length;
  }
}
