import { GetObjectCommand, HeadObjectCommand, ListObjectsV2Command, NotFound, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { createPresignedPost } from '@aws-sdk/s3-presigned-post';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import type { ObjectLister } from '../../features/intake/ports';
import type { BlobStore, ObjectInfo } from '../../ports';

/** S3 with path-style addressing when an endpoint override points at a local emulator. */
export function makeS3Client(endpoint = process.env.AWS_ENDPOINT_URL_S3): S3Client {
  return new S3Client(endpoint ? { forcePathStyle: true } : {});
}

export class S3BlobStore implements BlobStore, ObjectLister {
  constructor(
    private readonly bucket: string,
    private readonly s3: S3Client = makeS3Client(),
  ) {}

  async put(key: string, body: Buffer | string, contentType: string) {
    const res = await this.s3.send(new PutObjectCommand({ Bucket: this.bucket, Key: key, Body: body, ContentType: contentType }));
    return { etag: (res.ETag ?? '').replaceAll('"', ''), versionId: res.VersionId };
  }

  async get(key: string): Promise<Buffer> {
    const res = await this.s3.send(new GetObjectCommand({ Bucket: this.bucket, Key: key }));
    if (!res.Body) throw new Error(`Empty object ${key}`);
    return Buffer.from(await res.Body.transformToByteArray());
  }

  /** Every object under a prefix (all pages). */
  async list(prefix: string): Promise<Array<{ key: string; etag: string; lastModified?: string }>> {
    const out: Array<{ key: string; etag: string; lastModified?: string }> = [];
    let token: string | undefined;
    do {
      const res = await this.s3.send(new ListObjectsV2Command({ Bucket: this.bucket, Prefix: prefix, ContinuationToken: token }));
      for (const o of res.Contents ?? []) {
        if (o.Key) out.push({ key: o.Key, etag: (o.ETag ?? '').replaceAll('"', ''), lastModified: o.LastModified?.toISOString() });
      }
      token = res.IsTruncated ? res.NextContinuationToken : undefined;
    } while (token);
    return out;
  }

  async head(key: string): Promise<ObjectInfo | undefined> {
    try {
      const res = await this.s3.send(new HeadObjectCommand({ Bucket: this.bucket, Key: key }));
      return {
        size: Number(res.ContentLength ?? 0),
        contentType: res.ContentType,
        etag: (res.ETag ?? '').replaceAll('"', ''),
        versionId: res.VersionId,
        lastModified: res.LastModified?.toISOString(),
      };
    } catch (err) {
      if (err instanceof NotFound || (err as { name?: string }).name === 'NotFound') return undefined;
      throw err;
    }
  }

  async presignGet(key: string, expiresInSeconds: number, downloadName?: string): Promise<string> {
    const disposition = downloadName
      ? `attachment; filename="${asciiName(downloadName)}"; filename*=UTF-8''${encodeURIComponent(downloadName)}`
      : undefined;
    return getSignedUrl(this.s3, new GetObjectCommand({ Bucket: this.bucket, Key: key, ResponseContentDisposition: disposition }), {
      expiresIn: expiresInSeconds,
    });
  }

  async presignPost(key: string, opts: { maxBytes: number; contentType: string; expiresInSeconds: number }) {
    const post = await createPresignedPost(this.s3, {
      Bucket: this.bucket,
      Key: key,
      Conditions: [
        ['content-length-range', 1, opts.maxBytes],
        ['eq', '$Content-Type', opts.contentType],
        ['eq', '$key', key],
      ],
      Fields: { 'Content-Type': opts.contentType },
      Expires: opts.expiresInSeconds,
    });
    return { url: post.url, fields: post.fields };
  }
}

function asciiName(name: string): string {
  return name
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/đ/g, 'd')
    .replace(/Đ/g, 'D')
    .replace(/[^\w.-]/g, '_');
}
