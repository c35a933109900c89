/**
 * Stands in for `brotli/decompress.js` (475 kB of a JavaScript Brotli decoder) in the function
 * bundles: fontkit calls it only to open WOFF2 fonts, and Node has Brotli built in. Same contract:
 * (compressed bytes, expected size) → the decompressed bytes.
 */
import { brotliDecompressSync } from 'node:zlib';

export default function decompress(buffer, outSize) {
  const out = brotliDecompressSync(buffer, outSize ? { maxOutputLength: Math.max(outSize, 1) } : {});
  return new Uint8Array(out.buffer, out.byteOffset, out.byteLength);
}
