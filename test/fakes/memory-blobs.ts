import { sha256 } from '../../shared/crypto';
import type { BlobStore } from '../../shared/ports';

/** In-memory blob store with an S3-like ETag (MD5-length hex of the content) and a prefix listing. */
export function memoryBlobs() {
  const objects = new Map<string, { body: Buffer; type: string }>();
  const etag = (b: Buffer) => sha256(b).slice(0, 32);
  const blobs = {
    objects,
    put: async (key: string, body: Buffer | string, type: string) => {
      objects.set(key, { body: Buffer.from(body), type });
      return { etag: etag(Buffer.from(body)) };
    },
    get: async (key: string) => {
      const o = objects.get(key);
      if (!o) throw new Error(`NoSuchKey ${key}`);
      return o.body;
    },
    head: async (key: string) => {
      const o = objects.get(key);
      return o && { size: o.body.length, contentType: o.type, etag: etag(o.body) };
    },
    list: async (prefix: string) =>
      [...objects.entries()].filter(([k]) => k.startsWith(prefix)).map(([key, o]) => ({ key, etag: etag(o.body) })),
  };
  return blobs as typeof blobs & BlobStore;
}
