import { randomBytes } from 'node:crypto';
import { createRequire } from 'node:module';
import { brotliCompressSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import decompress from '../../infra/bundling/brotli-decompress.mjs';

const require = createRequire(import.meta.url);
/** The package the bundles leave out (BUNDLE_ALIASES): fontkit's WOFF2 decoder. */
const packaged = require('brotli/decompress.js') as (buffer: Uint8Array, outSize?: number) => Uint8Array;

describe('the Brotli decoder the bundles use instead of brotli/decompress.js', () => {
  it('decodes what the package decodes, to the same bytes', () => {
    const text = Buffer.from('Báo cáo kết quả công tác cải cách hành chính năm 2021. '.repeat(400));
    for (const input of [text, randomBytes(5000), Buffer.alloc(0)]) {
      const compressed = new Uint8Array(brotliCompressSync(input));
      const ours = decompress(compressed, input.length);
      expect(Buffer.from(ours).equals(input)).toBe(true);
      if (input.length) expect(Buffer.from(packaged(compressed, input.length)).equals(Buffer.from(ours))).toBe(true);
    }
  });
});
