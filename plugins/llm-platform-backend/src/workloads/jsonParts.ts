import { createHash } from 'node:crypto';
import { constants, crc32, deflateRawSync } from 'node:zlib';

/** A stretch of text compressed on its own, ready to be spliced. */
interface Deflated {
  /** Raw deflate ending in a sync flush: byte-aligned, no final block. */
  data: Buffer;
  crc: number;
  /** Uncompressed length in bytes. */
  length: number;
}

function deflate(text: string): Deflated {
  const input = Buffer.from(text, 'utf8');
  return {
    data: deflateRawSync(input, {
      level: 1,
      finishFlush: constants.Z_SYNC_FLUSH,
    }),
    crc: crc32(input),
    length: input.length,
  };
}

// Read times change on every read without the data changing.
const READ_TIMES = /"observedAt":"[^"]*"|"ageSeconds":\d+/g;

/**
 * A stretch of an answer's JSON that stays the same as long as what it was
 * made from is unchanged (one cluster's pods): hashed and compressed once,
 * then reused by every answer that contains it. Serialises as its text, so a
 * cached answer stored as JSON holds plain strings.
 */
export class StableJson {
  readonly text: string;
  #hash?: string;
  #deflated?: Deflated;

  constructor(text: string) {
    this.text = text;
  }

  /** Hash of the text without its read times (see {@link contentHash}). */
  hash(): string {
    this.#hash ??= createHash('sha1')
      .update(this.text.replace(READ_TIMES, ''))
      .digest('base64url');
    return this.#hash;
  }

  deflated(): Deflated {
    this.#deflated ??= deflate(this.text);
    return this.#deflated;
  }

  toJSON(): string {
    return this.text;
  }
}

/** JSON text in parts: their concatenation is the document. */
export type JsonParts = ReadonlyArray<string | StableJson>;

export function jsonText(parts: JsonParts): string {
  return parts.map(p => (typeof p === 'string' ? p : p.text)).join('');
}

// x^(2^k) modulo the CRC-32 polynomial, in zlib's reflected representation.
const POLY = 0xedb88320;
function multiplyModP(a: number, b: number): number {
  let m = 0x80000000;
  let p = 0;
  let x = b;
  for (;;) {
    if ((a & m) !== 0) {
      p ^= x;
      if ((a & (m - 1)) === 0) break;
    }
    m >>>= 1;
    x = x & 1 ? (x >>> 1) ^ POLY : x >>> 1;
  }
  return p >>> 0;
}
const X2N = new Uint32Array(32);
X2N[0] = 0x40000000;
for (let k = 1; k < 32; k++) X2N[k] = multiplyModP(X2N[k - 1], X2N[k - 1]);

/**
 * The CRC-32 of A followed by B from the CRC-32s of A and B and B's length
 * (zlib's `crc32_combine`, which Node does not expose).
 */
export function crc32Combine(crcA: number, crcB: number, lengthB: number) {
  let power = 0x80000000;
  let n = lengthB;
  for (let k = 3; n > 0; k++, n = Math.floor(n / 2)) {
    if (n % 2 === 1) power = multiplyModP(X2N[k % 32], power);
  }
  return (multiplyModP(power, crcA) ^ crcB) >>> 0;
}

const GZIP_HEADER = Buffer.from([0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 255]);
// An empty final block (fixed Huffman, end of block only).
const FINAL_BLOCK = Buffer.from([3, 0]);
// Long strings are kept, hashed and compressed, while they recur (a cluster's
// templates or nodes, unchanged between reads). A lookup compares the text,
// which is much cheaper than compressing it again.
const RECURRING_MIN = 4096;
const recurring = new Map<string, StableJson>();

const textOf = (part: string | StableJson) =>
  typeof part === 'string' ? part : part.text;

/**
 * The part as a stable part when it is long enough to be worth keeping; the
 * same for a part sent as text (a cached answer read back from a store) as
 * for the stable part it was, so both hash and compress alike.
 */
function stableOf(part: string | StableJson): StableJson | undefined {
  const text = textOf(part);
  if (text.length < RECURRING_MIN) return undefined;
  if (part instanceof StableJson) return part;
  let stable = recurring.get(text);
  if (!stable) {
    stable = new StableJson(text);
    if (recurring.size >= 64) recurring.delete(recurring.keys().next().value!);
  }
  // Most recently used last.
  recurring.delete(text);
  recurring.set(text, stable);
  return stable;
}

/**
 * A hash of the parts' text without read times: two answers with the same
 * hash differ at most in when their data was read.
 */
export function contentHash(seed: string, parts: JsonParts): string {
  const hash = createHash('sha1').update(seed);
  for (const part of parts) {
    const stable = stableOf(part);
    hash.update('\u0000');
    hash.update(stable ? stable.hash() : textOf(part).replace(READ_TIMES, ''));
  }
  return hash.digest('base64url');
}

/**
 * The parts as one gzip member (RFC 1952): every part is compressed apart and
 * the deflate streams are concatenated, as pigz does, so a stable part is
 * compressed once for all the answers that contain it. Decoders see an
 * ordinary single-member gzip body.
 */
export function gzipParts(parts: JsonParts): Buffer {
  const pieces: Deflated[] = [];
  let pending = '';
  const flush = () => {
    if (pending) pieces.push(deflate(pending));
    pending = '';
  };
  for (const part of parts) {
    const stable = stableOf(part);
    if (stable) {
      flush();
      pieces.push(stable.deflated());
    } else {
      pending += textOf(part);
    }
  }
  flush();
  let crc = 0;
  let length = 0;
  for (const piece of pieces) {
    crc = crc32Combine(crc, piece.crc, piece.length);
    length += piece.length;
  }
  const trailer = Buffer.alloc(8);
  trailer.writeUInt32LE(crc, 0);
  trailer.writeUInt32LE(length % 2 ** 32, 4);
  return Buffer.concat([
    GZIP_HEADER,
    ...pieces.map(p => p.data),
    FINAL_BLOCK,
    trailer,
  ]);
}
