/**
 * In-memory IngestLedger with the same conditional semantics as DynamoIngestLedger. Every
 * method yields before its atomic section so concurrent ingests interleave, and `crashAt` makes
 * the n-th call of a method throw (a process killed at that point) to test the recovery paths.
 */
import type { ClaimResult, IngestLedger, UploadClaim, VersionSlot } from '../../shared/features/intake/ports';
import type { AuditEntry, BlobStore, StoredSubmission, UploadRecord } from '../../shared/ports';

type Claim = UploadClaim & Omit<Partial<UploadRecord>, 'status'> & Record<string, unknown>;
type Version = Omit<StoredSubmission, 'submission'> & { uploadId: string; bodyKey: string };

export class Crash extends Error {
  override name = 'Crash';
}

export class MemoryLedger implements IngestLedger {
  claims = new Map<string, Claim>();
  versions = new Map<string, Version>();
  current = new Map<string, Version>();
  audit = new Map<string, { quarterId: string } & AuditEntry>();
  calls: Record<string, number> = {};
  /** Throw Crash at the n-th (1-based) call of a method. */
  crashAt: Partial<Record<keyof IngestLedger, number>> = {};

  private async step(name: keyof IngestLedger) {
    // Two yields: enough for other pending ingests to reach their own writes in between.
    await new Promise((r) => setImmediate(r));
    await new Promise((r) => setImmediate(r));
    this.calls[name] = (this.calls[name] ?? 0) + 1;
    if (this.crashAt[name] === this.calls[name]) throw new Crash(`crash in ${name}`);
  }

  async claimUpload(p: Parameters<IngestLedger['claimUpload']>[0]): Promise<ClaimResult> {
    await this.step('claimUpload');
    const held = this.claims.get(p.key);
    const claim = (extra: Partial<Claim>): ClaimResult => {
      const next: Claim = {
        ...(held ?? {}),
        ...extra,
        key: p.key,
        etag: p.etag,
        status: 'processing',
        leaseUntil: p.leaseUntil,
        owner: p.owner,
        claimedAt: extra.claimedAt ?? held?.claimedAt ?? p.now,
      };
      this.claims.set(p.key, next);
      return { kind: 'claimed', claim: structuredClone(next) };
    };
    const gone = (c: Claim) => (c.leaseUntil ?? '') < p.now || (!!p.takeOverOtherOwners && c.owner !== p.owner);
    if (!held) return claim({});
    if (held.etag === p.etag) {
      if (held.status !== 'processing') return { kind: 'done', outcome: structuredClone(held) as unknown as UploadRecord };
      return gone(held) ? claim({}) : { kind: 'busy', claim: structuredClone(held) };
    }
    if (held.status === 'processing' && !gone(held)) return { kind: 'busy', claim: structuredClone(held) };
    this.claims.delete(p.key);
    return claim({ claimedAt: p.now });
  }

  async getClaim(key: string) {
    return structuredClone(this.claims.get(key));
  }

  async versionSlots(periodId: string, divisionId: string): Promise<VersionSlot[]> {
    await this.step('versionSlots');
    return [...this.versions.values()]
      .filter((v) => v.periodId === periodId && v.divisionId === divisionId)
      .map((v) => ({ version: v.version, uploadId: v.uploadId }));
  }

  async putVersion(sub: StoredSubmission & { uploadId: string; bodyKey: string }) {
    await this.step('putVersion');
    const id = `${sub.periodId}/${sub.divisionId}#${sub.version}`;
    if (this.versions.has(id)) return false;
    const { submission: _s, ...rest } = sub;
    this.versions.set(id, structuredClone(rest));
    return true;
  }

  async setClaimVersion(key: string, etag: string, version: number) {
    await this.step('setClaimVersion');
    const c = this.claims.get(key);
    if (!c || c.etag !== etag) throw new Error('claim changed');
    c.version ??= version;
    return c.version;
  }

  async advanceCurrent(sub: StoredSubmission & { bodyKey: string }) {
    await this.step('advanceCurrent');
    const id = `${sub.periodId}/${sub.divisionId}`;
    const cur = this.current.get(id);
    if (cur && cur.version >= sub.version) return false;
    const { submission: _s, ...rest } = sub;
    this.current.set(id, { ...structuredClone(rest), uploadId: '' });
    return true;
  }

  async completeUpload(rec: UploadRecord) {
    await this.step('completeUpload');
    const c = this.claims.get(rec.key);
    if (c?.status === 'processing' && c.etag === rec.etag) {
      this.claims.set(rec.key, { ...structuredClone(rec), claimedAt: rec.receivedAt } as Claim);
      return rec;
    }
    if (c && c.etag === rec.etag) return structuredClone(c) as unknown as UploadRecord;
    throw new Error('claim lost');
  }

  async appendPeriodAuditOnce(quarterId: string, id: string, entry: AuditEntry) {
    await this.step('appendPeriodAuditOnce');
    const k = `${quarterId}#${entry.at}#${id}`;
    if (this.audit.has(k)) return false;
    this.audit.set(k, { quarterId, ...structuredClone(entry) });
    return true;
  }

  /** The current submissions with their bodies, as DynamoRepository.currentSubmissions returns them. */
  async currentSubmissions(periodIds: string[], blobs: Pick<BlobStore, 'get'>): Promise<StoredSubmission[]> {
    const out = [...this.current.values()].filter((c) => periodIds.includes(c.periodId));
    return Promise.all(out.map(async (c) => ({ ...c, submission: JSON.parse((await blobs.get(c.bodyKey)).toString('utf8')) })));
  }
}
