/** See ./brotli-decompress.mjs. */
export default function decompress(buffer: Uint8Array, outSize?: number): Uint8Array;
