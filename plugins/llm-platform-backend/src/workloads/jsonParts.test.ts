import { crc32, gunzipSync } from 'node:zlib';
import {
  StableJson,
  contentHash,
  crc32Combine,
  gzipParts,
  jsonText,
} from './jsonParts';

const text = (n: number, seed: number) =>
  Array.from({ length: n }, (_, i) =>
    String.fromCharCode(32 + ((i * seed + (i >> 3)) % 90)),
  ).join('');

/** Decodes as a browser does: the web platform's DecompressionStream. */
async function decodeAsBrowser(body: Buffer): Promise<string> {
  const stream = new Blob([body])
    .stream()
    .pipeThrough(new DecompressionStream('gzip'));
  return new Response(stream).text();
}

describe('crc32Combine', () => {
  it.each([0, 1, 7, 4096, 100_003])(
    'gives the CRC-32 of a text followed by %i bytes',
    length => {
      const a = Buffer.from(text(1234, 7));
      const b = Buffer.from(text(length, 13));
      expect(crc32Combine(crc32(a), crc32(b), b.length)).toBe(
        crc32(Buffer.concat([a, b])),
      );
    },
  );
});

describe('gzipParts', () => {
  const pods = new StableJson(
    JSON.stringify(
      Array.from({ length: 3000 }, (_, i) => ({ name: `pod-${i}`, ready: 2 })),
    ),
  );
  const parts = [
    '{"cluster":"a","nodes":',
    JSON.stringify(
      Array.from({ length: 400 }, (_, i) => ({ node: `n-${i}`, gpu: 8 })),
    ),
    ',"pods":',
    pods,
    ',"name":"é – ✓"}',
  ];

  it('is one gzip member that Node and the web platform decode to the text', async () => {
    const body = gzipParts(parts);
    expect(gunzipSync(body).toString('utf8')).toBe(jsonText(parts));
    expect(await decodeAsBrowser(body)).toBe(jsonText(parts));
    expect(JSON.parse(jsonText(parts)).pods).toHaveLength(3000);
    // A single member: the header occurs once, at the start.
    expect(body.subarray(0, 3)).toEqual(Buffer.from([0x1f, 0x8b, 8]));
    expect(body.length).toBeLessThan(jsonText(parts).length / 5);
  });

  it('compresses a stable part once for every answer that holds it', () => {
    const first = pods.deflated();
    const other = gzipParts(['[', pods, ',{"x":1}]']);
    expect(pods.deflated()).toBe(first);
    expect(other.includes(first.data)).toBe(true);
    expect(JSON.parse(gunzipSync(other).toString())[1]).toEqual({ x: 1 });
  });

  it('encodes parts copied by a cache store as the same document', () => {
    const copied = structuredClone(parts) as typeof parts;
    expect(gunzipSync(gzipParts(copied)).toString()).toBe(jsonText(parts));
    expect(contentHash('s', copied)).toBe(contentHash('s', parts));
    const viaJson = JSON.parse(JSON.stringify(parts));
    expect(viaJson.every((p: unknown) => typeof p === 'string')).toBe(true);
    expect(contentHash('s', viaJson)).toBe(contentHash('s', parts));
    expect(contentHash('s', ['[', new StableJson('{"x":1}'), ']'])).toBe(
      contentHash('s', ['[', '{"x":1}', ']']),
    );
  });

  it('encodes an empty document', () => {
    expect(gunzipSync(gzipParts([])).toString()).toBe('');
  });
});

describe('contentHash', () => {
  const at = (time: string, age: number, ready: number) => [
    `{"observedAt":"${time}","pods":`,
    new StableJson(`[{"ageSeconds":${age},"ready":${ready}}]`),
    `,"nodes":${JSON.stringify(
      Array.from({ length: 300 }, (_, i) => ({ n: i, observedAt: time })),
    )}}`,
  ];

  it('leaves out read times and sees every other change', () => {
    const base = contentHash('s', at('2026-01-01T00:00:00Z', 1, 2));
    expect(contentHash('s', at('2026-01-01T00:05:00Z', 301, 2))).toBe(base);
    expect(contentHash('s', at('2026-01-01T00:00:00Z', 1, 1))).not.toBe(base);
    expect(contentHash('t', at('2026-01-01T00:00:00Z', 1, 2))).not.toBe(base);
  });
});
