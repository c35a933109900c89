/**
 * The local signing provider: signs with the local test CA's keys (shared/signing/local-ca.ts).
 * `auto` signs at once; `confirm` answers `pending` until confirm(transactionId) — the local
 * stand-in for the person confirming on their phone — and lets the request expire after five
 * minutes like the real services. With a directory, pending requests survive a restart.
 */
import { randomUUID } from 'node:crypto';
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { SigningError } from '../../signing/errors';
import type { CertificateSubject, LocalCa } from '../../signing/local-ca';
import type { SignatureOutcome, SignatureRequest, SignerRef, SigningCredential, SigningProvider } from '../../signing/ports';
import { signerKey } from '../../signing/signer-key';

export const LOCAL_REQUEST_TTL_MS = 5 * 60_000;

export type LocalMode = 'auto' | 'confirm';

export interface LocalProviderOptions {
  ca: LocalCa;
  /** Names on the signer's certificate (from the organization's data: subjectFromOrganization). */
  subjectOf(signer: SignerRef): CertificateSubject | Promise<CertificateSubject>;
  mode?: LocalMode | ((signer: SignerRef) => LocalMode);
  /** Where pending requests are kept (e.g. .baocao/signing); memory only when absent. */
  dir?: string;
  now?: () => Date;
}

export interface LocalTransaction {
  transactionId: string;
  requestId: string;
  signer: SignerRef;
  description: string;
  /** base64 SHA-256 to sign. */
  digest: string;
  expiresAt: string;
  state: 'pending' | 'confirmed' | 'rejected';
  reason?: string;
}

export class LocalSigningProvider implements SigningProvider {
  readonly kind = 'local' as const;
  private transactions = new Map<string, LocalTransaction>();
  private loaded: Promise<void> | undefined;
  private readonly now: () => Date;

  constructor(private readonly o: LocalProviderOptions) {
    this.now = o.now ?? (() => new Date());
  }

  async credential(signer: SignerRef): Promise<SigningCredential> {
    const key = await this.o.ca.signer(signer, await this.o.subjectOf(signer));
    return { algorithm: 'RSASSA_PKCS1_V1_5_SHA_256', chain: key.chain, testOnly: true };
  }

  async requestSignature(signer: SignerRef, request: SignatureRequest): Promise<SignatureOutcome> {
    if (request.digest.length !== 32) throw new SigningError('invalid-options', 'Mã băm cần ký phải là SHA-256 (32 byte).');
    const mode = typeof this.o.mode === 'function' ? this.o.mode(signer) : (this.o.mode ?? 'auto');
    if (mode === 'auto') return { status: 'signed', signature: await this.sign(signer, request.digest) };
    await this.load();
    // A retried step asks again with the same id: it gets the same live request, not a second one.
    const same = [...this.transactions.values()].find(
      (t) =>
        t.requestId === request.requestId &&
        signerKey(t.signer) === signerKey(signer) &&
        t.digest === Buffer.from(request.digest).toString('base64'),
    );
    if (same && (same.state !== 'pending' || !this.expired(same))) return this.outcome(same);
    const t: LocalTransaction = {
      transactionId: `local-${randomUUID()}`,
      requestId: request.requestId,
      signer,
      description: request.description,
      digest: Buffer.from(request.digest).toString('base64'),
      expiresAt: new Date(this.now().getTime() + LOCAL_REQUEST_TTL_MS).toISOString(),
      state: 'pending',
    };
    this.transactions.set(t.transactionId, t);
    await this.save();
    return this.outcome(t);
  }

  async pollSignature(signer: SignerRef, transactionId: string): Promise<SignatureOutcome> {
    return this.outcome(await this.find(signer, transactionId));
  }

  /** The person confirms on their "phone". */
  async confirm(transactionId: string): Promise<void> {
    await this.decide(transactionId, 'confirmed');
  }

  async reject(transactionId: string, reason = 'Người ký từ chối trên thiết bị.'): Promise<void> {
    await this.decide(transactionId, 'rejected', reason);
  }

  /** Requests waiting for a confirmation (for a local page or CLI standing in for the phone). */
  async pending(): Promise<LocalTransaction[]> {
    await this.load();
    return [...this.transactions.values()].filter((t) => t.state === 'pending' && !this.expired(t));
  }

  private async decide(transactionId: string, state: 'confirmed' | 'rejected', reason?: string): Promise<void> {
    await this.load();
    const t = this.transactions.get(transactionId);
    if (!t) throw new SigningError('unknown-transaction', `Không có yêu cầu ký ${transactionId}.`, 404);
    if (this.expired(t) && t.state === 'pending') throw new SigningError('provider-refused', 'Yêu cầu ký đã hết hạn (quá 5 phút).', 410);
    if (t.state !== 'pending') throw new SigningError('provider-refused', 'Yêu cầu ký này đã được trả lời.', 409);
    t.state = state;
    t.reason = reason;
    await this.save();
  }

  private async find(signer: SignerRef, transactionId: string): Promise<LocalTransaction> {
    await this.load();
    const t = this.transactions.get(transactionId);
    if (!t || signerKey(t.signer) !== signerKey(signer)) {
      throw new SigningError('unknown-transaction', `Không có yêu cầu ký ${transactionId} của người ký này.`, 404);
    }
    return t;
  }

  private expired(t: LocalTransaction): boolean {
    return this.now().getTime() >= Date.parse(t.expiresAt);
  }

  private async outcome(t: LocalTransaction): Promise<SignatureOutcome> {
    if (t.state === 'rejected') return { status: 'rejected', reason: t.reason ?? 'Người ký từ chối.' };
    if (t.state === 'confirmed') return { status: 'signed', signature: await this.sign(t.signer, Buffer.from(t.digest, 'base64')) };
    if (this.expired(t)) return { status: 'expired' };
    return { status: 'pending', transactionId: t.transactionId, expiresAt: t.expiresAt };
  }

  private async sign(signer: SignerRef, digest: Uint8Array): Promise<Uint8Array> {
    const key = await this.o.ca.signer(signer, await this.o.subjectOf(signer));
    // Loaded here, not at module init (@peculiar/x509): see ./keys.ts.
    const { signDigest } = await import('../../signing/local-ca');
    return signDigest(key.key, digest);
  }

  private file(): string | undefined {
    return this.o.dir ? join(this.o.dir, 'transactions.json') : undefined;
  }

  private load(): Promise<void> {
    this.loaded ??= (async () => {
      const file = this.file();
      if (!file) return;
      const text = await readFile(file, 'utf8').catch(() => undefined);
      if (!text) return;
      for (const t of JSON.parse(text) as LocalTransaction[]) this.transactions.set(t.transactionId, t);
    })();
    return this.loaded;
  }

  private async save(): Promise<void> {
    const file = this.file();
    if (!file || !this.o.dir) return;
    // Answered and long-expired requests are dropped; the rest is written atomically.
    const keep = [...this.transactions.values()].filter((t) => this.now().getTime() - Date.parse(t.expiresAt) < 86400_000);
    await mkdir(this.o.dir, { recursive: true });
    await writeFile(`${file}.tmp`, JSON.stringify(keep, null, 1));
    await rename(`${file}.tmp`, file);
  }
}
