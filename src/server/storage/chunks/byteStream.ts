/** Byte streams with LEB128 varints (unsigned, up to 2^53) for chunk headers and small sections. */

/** Appends bytes to a growing buffer. */
export class ByteWriter {
  private bytes: Uint8Array;
  private length = 0;

  constructor(initialBytes = 64) {
    this.bytes = new Uint8Array(Math.max(16, initialBytes));
  }

  writeByte(value: number): void {
    this.reserve(1);
    this.bytes[this.length++] = value;
  }

  /** Writes a non-negative safe integer as an unsigned LEB128 varint. */
  writeVarint(value: number): void {
    if (!Number.isSafeInteger(value) || value < 0) throw new RangeError(`cannot write ${value} as a varint`);
    this.reserve(8);
    while (value >= 0x80) {
      this.bytes[this.length++] = (value % 0x80) | 0x80;
      value = Math.floor(value / 0x80);
    }
    this.bytes[this.length++] = value;
  }

  writeBytes(bytes: Uint8Array): void {
    this.reserve(bytes.length);
    this.bytes.set(bytes, this.length);
    this.length += bytes.length;
  }

  /** A length-prefixed byte section. */
  writeSection(bytes: Uint8Array): void {
    this.writeVarint(bytes.length);
    this.writeBytes(bytes);
  }

  finish(): Uint8Array {
    return this.bytes.slice(0, this.length);
  }

  private reserve(extra: number): void {
    if (this.length + extra <= this.bytes.length) return;
    const grown = new Uint8Array(Math.max(this.bytes.length * 2, this.length + extra));
    grown.set(this.bytes.subarray(0, this.length));
    this.bytes = grown;
  }
}

/** Reads what `ByteWriter` wrote; throws on truncated or malformed input. */
export class ByteReader {
  private offset = 0;

  constructor(private readonly bytes: Uint8Array) {}

  /** Bytes not read yet. */
  get remaining(): number {
    return this.bytes.length - this.offset;
  }

  readByte(): number {
    if (this.offset >= this.bytes.length) throw new RangeError('chunk is truncated');
    return this.bytes[this.offset++]!;
  }

  readVarint(): number {
    let value = 0;
    let scale = 1;
    for (;;) {
      const byte = this.readByte();
      value += (byte & 0x7f) * scale;
      if (byte < 0x80) break;
      scale *= 0x80;
      if (scale > 2 ** 49) throw new RangeError('varint is longer than 53 bits');
    }
    return value;
  }

  readBytes(length: number): Uint8Array {
    if (this.offset + length > this.bytes.length) throw new RangeError('chunk is truncated');
    const out = this.bytes.subarray(this.offset, this.offset + length);
    this.offset += length;
    return out;
  }

  /** A length-prefixed byte section, as a view on the input. */
  readSection(): Uint8Array {
    return this.readBytes(this.readVarint());
  }
}
