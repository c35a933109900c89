import { GetObjectCommand, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import type { MaterialKind, MaterialOwner, SigningMaterialStore } from '../../features/signing/ports';

/**
 * Signing material of an organization in the reports bucket, under its own prefix:
 *   orgs/<org>/signing/person/<id>/image-<sha256>.png | chain-<sha256>.pem
 *   orgs/<org>/signing/organization/image-<sha256>.png | chain-<sha256>.pem
 * Encrypted with the stack's signing-material KMS key (SIGNING_MATERIAL_KEY_ID) when one is given:
 * SSE-KMS, so reading needs kms:Decrypt on that key besides s3:GetObject (docs/adr/0048).
 */
export class S3SigningMaterial implements SigningMaterialStore {
  constructor(
    private readonly bucket: string,
    private readonly s3: S3Client,
    private readonly kmsKeyId?: string,
  ) {}

  static key(orgId: string, owner: MaterialOwner, kind: MaterialKind, sha256: string): string {
    const who = owner.kind === 'person' ? `person/${owner.personId}` : 'organization';
    return `orgs/${orgId}/signing/${who}/${kind}-${sha256}.${kind === 'image' ? 'png' : 'pem'}`;
  }

  async put(orgId: string, owner: MaterialOwner, kind: MaterialKind, sha256: string, body: Buffer): Promise<void> {
    await this.s3.send(
      new PutObjectCommand({
        Bucket: this.bucket,
        Key: S3SigningMaterial.key(orgId, owner, kind, sha256),
        Body: body,
        ContentType: kind === 'image' ? 'image/png' : 'application/x-pem-file',
        ...(this.kmsKeyId ? { ServerSideEncryption: 'aws:kms', SSEKMSKeyId: this.kmsKeyId, BucketKeyEnabled: true } : {}),
      }),
    );
  }

  async get(orgId: string, owner: MaterialOwner, kind: MaterialKind, sha256: string): Promise<Buffer | undefined> {
    try {
      const res = await this.s3.send(new GetObjectCommand({ Bucket: this.bucket, Key: S3SigningMaterial.key(orgId, owner, kind, sha256) }));
      return res.Body ? Buffer.from(await res.Body.transformToByteArray()) : undefined;
    } catch (err) {
      if ((err as { name?: string }).name === 'NoSuchKey') return undefined;
      throw err;
    }
  }
}
