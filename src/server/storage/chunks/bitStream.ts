/**
 * Big-endian bit streams for the chunk codecs. Bits are packed into 32-bit words (fewer shifts
 * than byte-at-a-time), and the output is trimmed to whole bytes.
 */

const TWO_POW_32 = 4294967296;

/** Appends bit fields to a growing buffer. */
export class BitWriter {
  private bytes: Uint8Array;
  private view: DataView;
  /** Byte offset of the word being filled. */
  private offset = 0;
  /** Pending bits, left-aligned in a 32-bit word. */
  private word = 0;
  /** How many bits of `word` are in use, 0..31. */
  private used = 0;

  constructor(initialBytes = 256) {
    this.bytes = new Uint8Array(Math.max(8, (initialBytes + 3) & ~3));
    this.view = new DataView(this.bytes.buffer);
  }

  /** Writes the low `n` bits of `value`, most significant first; `0 <= n <= 32`. */
  write(value: number, n: number): void {
    if (n === 0) return;
    const bits = n === 32 ? value >>> 0 : value & ((1 << n) - 1);
    const free = 32 - this.used;
    if (n < free) {
      this.word |= bits << (free - n);
      this.used += n;
      return;
    }
    const spill = n - free;
    this.word |= bits >>> spill;
    this.flushWord();
    this.used = spill;
    this.word = spill === 0 ? 0 : bits << (32 - spill);
  }

  /** Writes a non-negative integer below 2^53 in `n` bits; `0 <= n <= 53`. */
  writeWide(value: number, n: number): void {
    if (n <= 32) this.write(value, n);
    else {
      this.write(Math.floor(value / TWO_POW_32), n - 32);
      this.write(value >>> 0, 32);
    }
  }

  writeBit(bit: boolean): void {
    this.write(bit ? 1 : 0, 1);
  }

  /** The bits written so far, zero-padded to a whole byte. */
  finish(): Uint8Array {
    const totalBits = this.offset * 8 + this.used;
    if (this.used > 0) {
      this.ensureWord();
      this.view.setUint32(this.offset, this.word);
    }
    return this.bytes.slice(0, Math.ceil(totalBits / 8));
  }

  private flushWord(): void {
    this.ensureWord();
    this.view.setUint32(this.offset, this.word);
    this.offset += 4;
    this.word = 0;
  }

  private ensureWord(): void {
    if (this.offset + 4 <= this.bytes.length) return;
    const grown = new Uint8Array(this.bytes.length * 2);
    grown.set(this.bytes);
    this.bytes = grown;
    this.view = new DataView(grown.buffer);
  }
}

/**
 * Reads bit fields written by `BitWriter`; reading past the end yields zero bits. Words are read
 * from the bytes in place: decoding a chunk allocates nothing but its output.
 */
export class BitReader {
  private readonly view: DataView;
  private readonly wholeWords: number;
  /** The bytes after the last whole word, as a word zero-padded on the right. */
  private readonly partialWord: number;
  private index = 0;
  /** The current word, and how many of its leading bits are consumed (0..31). */
  private word: number;
  private consumed = 0;

  constructor(bytes: Uint8Array) {
    this.view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    this.wholeWords = bytes.length >>> 2;
    let partial = 0;
    for (let at = this.wholeWords * 4, shift = 24; at < bytes.length; at++, shift -= 8) {
      partial |= bytes[at]! << shift;
    }
    this.partialWord = partial >>> 0;
    this.word = this.wordAt(0);
  }

  private wordAt(index: number): number {
    if (index < this.wholeWords) return this.view.getUint32(index * 4);
    return index === this.wholeWords ? this.partialWord : 0;
  }

  /** Reads `n` bits as an unsigned integer; `0 <= n <= 32`. */
  read(n: number): number {
    if (n === 0) return 0;
    const available = 32 - this.consumed;
    if (n < available) {
      const value = (this.word << this.consumed) >>> (32 - n);
      this.consumed += n;
      return value;
    }
    // The rest of this word, then the head of the next.
    const spill = n - available;
    const head = available === 32 ? this.word : this.word & ((1 << available) - 1);
    this.word = this.wordAt(++this.index);
    this.consumed = spill;
    if (spill === 0) return head >>> 0;
    return ((head << spill) | (this.word >>> (32 - spill))) >>> 0;
  }

  /** Reads an unsigned integer of `n` bits; `0 <= n <= 53`. */
  readWide(n: number): number {
    if (n <= 32) return this.read(n);
    const high = this.read(n - 32);
    return high * TWO_POW_32 + this.read(32);
  }

  readBit(): boolean {
    return this.read(1) === 1;
  }
}
