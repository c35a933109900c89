import { GetObjectCommand, HeadObjectCommand, ListObjectsV2Command, NotFound, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { createPresignedPost } from '@aws-sdk/s3-presigned-post';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import type { DocumentModel } from '../../document/model';
import type { ObjectLister } from '../../features/intake/ports';
import type { BlobStore, DocumentModelStore, ObjectInfo } from '../../ports';

/** S3 with path-style addressing when an endpoint override points at a local emulator. */
export function makeS3Client(endpoint = process.env.AWS_ENDPOINT_URL_S3): S3Client {
  return new S3Client(endpoint ? { forcePathStyle: true } : {});
}

/**
 * Object keys of an organization: the product names `raw/2021-Q1/VP/…`, the bucket holds
 * `raw/<orgId>/<reportType>/2021-Q1/VP/…` (same for drafts/ and released/). The family stays first
 * so lifecycle rules, IAM grants and the ingest rule keep working on prefixes.
 */
export function scopedObjectKey(scope: { orgId: string; reportType: string } | undefined, key: string): string {
  if (!scope) return key;
  const slash = key.indexOf('/');
  if (slash <= 0) throw new Error(`Object key without a family prefix: ${key}`);
  return `${key.slice(0, slash)}/${scope.orgId}/${scope.reportType}/${key.slice(slash + 1)}`;
}

/** The scope and the product's key of a bucket key (ingest reads the organization from the key). */
export function unscopeObjectKey(full: string): { orgId: string; reportType: string; key: string } | undefined {
  const m = /^([a-z]+)\/([a-z0-9-]{2,40})\/([a-z0-9-]+)\/(.+)$/.exec(full);
  return m ? { orgId: m[2], reportType: m[3], key: `${m[1]}/${m[4]}` } : undefined;
}

/**
 * Where a document's model is kept: a draft's beside its version folder
 * (drafts/<report>/v2/<file>.docx → drafts/<report>/v2.model.json), any other document beside
 * itself (released/2021/<file>.docx → released/2021/<file>.model.json).
 */
export function documentModelKey(documentKey: string): string {
  const draft = /^(drafts\/.+\/v\d+)\/[^/]+$/.exec(documentKey);
  if (draft) return `${draft[1]}.model.json`;
  return `${documentKey.replace(/\.[A-Za-z0-9]+$/, '')}.model.json`;
}

export class S3BlobStore implements BlobStore, ObjectLister, DocumentModelStore {
  constructor(
    private readonly bucket: string,
    private readonly s3: S3Client = makeS3Client(),
    private readonly scope?: { orgId: string; reportType: string },
  ) {}

  private k(key: string): string {
    return scopedObjectKey(this.scope, key);
  }

  async put(key: string, body: Buffer | string, contentType: string) {
    const res = await this.s3.send(new PutObjectCommand({ Bucket: this.bucket, Key: this.k(key), Body: body, ContentType: contentType }));
    return { etag: (res.ETag ?? '').replaceAll('"', ''), versionId: res.VersionId };
  }

  async get(key: string): Promise<Buffer> {
    const res = await this.s3.send(new GetObjectCommand({ Bucket: this.bucket, Key: this.k(key) }));
    if (!res.Body) throw new Error(`Empty object ${key}`);
    return Buffer.from(await res.Body.transformToByteArray());
  }

  async putModel(documentKey: string, model: DocumentModel): Promise<void> {
    await this.put(documentModelKey(documentKey), JSON.stringify(model), 'application/json');
  }

  async getModel(documentKey: string): Promise<DocumentModel | undefined> {
    try {
      return JSON.parse((await this.get(documentModelKey(documentKey))).toString('utf8')) as DocumentModel;
    } catch (err) {
      if ((err as { name?: string }).name === 'NoSuchKey') return undefined;
      throw err;
    }
  }

  /** Every object under a prefix (all pages), named by the product's keys (the scope's segments dropped). */
  async list(prefix: string): Promise<Array<{ key: string; etag: string; lastModified?: string }>> {
    const out: Array<{ key: string; etag: string; lastModified?: string }> = [];
    let token: string | undefined;
    do {
      const res = await this.s3.send(new ListObjectsV2Command({ Bucket: this.bucket, Prefix: this.k(prefix), ContinuationToken: token }));
      for (const o of res.Contents ?? []) {
        const key = o.Key && (this.scope ? unscopeObjectKey(o.Key)?.key : o.Key);
        if (key) out.push({ key, etag: (o.ETag ?? '').replaceAll('"', ''), lastModified: o.LastModified?.toISOString() });
      }
      token = res.IsTruncated ? res.NextContinuationToken : undefined;
    } while (token);
    return out;
  }

  async head(key: string): Promise<ObjectInfo | undefined> {
    try {
      const res = await this.s3.send(new HeadObjectCommand({ Bucket: this.bucket, Key: this.k(key) }));
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
    return getSignedUrl(this.s3, new GetObjectCommand({ Bucket: this.bucket, Key: this.k(key), ResponseContentDisposition: disposition }), {
      expiresIn: expiresInSeconds,
    });
  }

  async presignPost(key: string, opts: { maxBytes: number; contentType: string; expiresInSeconds: number }) {
    const post = await createPresignedPost(this.s3, {
      Bucket: this.bucket,
      Key: this.k(key),
      Conditions: [
        ['content-length-range', 1, opts.maxBytes],
        ['eq', '$Content-Type', opts.contentType],
        ['eq', '$key', this.k(key)],
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
