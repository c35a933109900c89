/**
 * AWS KMS as a signing provider (test, staging, or an extra integrity seal — not the văn thư's
 * own act): `Sign` over the digest (MessageType DIGEST, RSASSA_PKCS1_V1_5_SHA_256) answers at
 * once. KMS keeps no certificates, so each signer's chain comes from configuration.
 */
import { KMSClient, SignCommand } from '@aws-sdk/client-kms';
import { z } from 'zod';
import { SigningError } from '../../signing/errors';
import type { SignatureOutcome, SignatureRequest, SignerRef, SigningCredential, SigningProvider } from '../../signing/ports';
import { signerKey, signerLabel } from '../../signing/signer-key';

export interface KmsSignerConfig {
  keyId: string;
  /** DER certificates: the one issued for the KMS key's public key first, then its issuers. */
  chain: Uint8Array[];
}

export interface KmsProviderOptions {
  client: Pick<KMSClient, 'send'>;
  /** By signerKey(): "org/person/<id>" or "org/organization". */
  signers: Record<string, KmsSignerConfig>;
  /** True unless the chain is a real CA's (KMS keys are for tests and staging). */
  testOnly: boolean;
}

/** The configuration as JSON (e.g. an environment variable or a parameter): chains as base64 DER. */
export const KmsConfigSchema = z.object({
  testOnly: z.boolean().default(true),
  signers: z.record(z.string(), z.object({ keyId: z.string().min(1), chain: z.array(z.string().min(1)).min(1) })),
});

export function kmsOptionsFromJson(json: string, client: Pick<KMSClient, 'send'> = new KMSClient({})): KmsProviderOptions {
  let data: unknown;
  try {
    data = JSON.parse(json);
  } catch {
    throw new SigningError('provider-config', 'Cấu hình ký số KMS không phải JSON hợp lệ.', 500);
  }
  const parsed = KmsConfigSchema.safeParse(data);
  if (!parsed.success) {
    const where = parsed.error.issues.map((i) => i.path.join('.') || '(gốc)').join(', ');
    throw new SigningError('provider-config', `Cấu hình ký số KMS không hợp lệ ở: ${where}.`, 500);
  }
  const signers = Object.fromEntries(
    Object.entries(parsed.data.signers).map(([k, v]) => [
      k,
      { keyId: v.keyId, chain: v.chain.map((c) => new Uint8Array(Buffer.from(c, 'base64'))) },
    ]),
  );
  return { client, signers, testOnly: parsed.data.testOnly };
}

const CONFIG_ERRORS = new Set([
  'NotFoundException',
  'DisabledException',
  'KMSInvalidStateException',
  'InvalidKeyUsageException',
  'AccessDeniedException',
]);

export class KmsSigningProvider implements SigningProvider {
  readonly kind = 'kms' as const;
  constructor(private readonly o: KmsProviderOptions) {}

  private config(signer: SignerRef): KmsSignerConfig {
    const c = this.o.signers[signerKey(signer)];
    if (!c) throw new SigningError('provider-config', `Chưa cấu hình khóa KMS cho ${signerLabel(signer)}.`, 500);
    return c;
  }

  async credential(signer: SignerRef): Promise<SigningCredential> {
    return { algorithm: 'RSASSA_PKCS1_V1_5_SHA_256', chain: this.config(signer).chain, testOnly: this.o.testOnly };
  }

  async requestSignature(signer: SignerRef, request: SignatureRequest): Promise<SignatureOutcome> {
    const { keyId } = this.config(signer);
    try {
      const out = await this.o.client.send(
        new SignCommand({ KeyId: keyId, Message: request.digest, MessageType: 'DIGEST', SigningAlgorithm: 'RSASSA_PKCS1_V1_5_SHA_256' }),
      );
      if (!out.Signature?.length) throw new SigningError('invalid-signature', 'KMS trả về chữ ký rỗng.', 502, true);
      return { status: 'signed', signature: out.Signature };
    } catch (err) {
      if (err instanceof SigningError) throw err;
      const name = (err as { name?: string }).name ?? '';
      if (CONFIG_ERRORS.has(name)) {
        throw new SigningError('provider-config', `Khóa KMS của ${signerLabel(signer)} không dùng được để ký (${name}).`, 500);
      }
      // Throttling, 5xx, network: asking again is safe (KMS Sign has no side effect).
      throw new SigningError(
        'provider-unavailable',
        `Dịch vụ KMS tạm thời không ký được (${name || 'lỗi mạng'}); hệ thống sẽ thử lại.`,
        503,
        true,
      );
    }
  }

  async pollSignature(signer: SignerRef, transactionId: string): Promise<SignatureOutcome> {
    throw new SigningError('unknown-transaction', `KMS ký ngay, không có yêu cầu chờ (${transactionId}, ${signerLabel(signer)}).`, 404);
  }
}
