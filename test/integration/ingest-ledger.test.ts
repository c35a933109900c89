/**
 * Issue 10 §1–2 on dynalite: the conditional writes of DynamoIngestLedger under concurrency, a
 * crash between the version and the outcome, and bodies read back through the repository.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type LocalDynamo, startLocalDynamo, tableSpecFromTemplate } from '../../infra/local/dynamodb';
import { synthTemplate } from '../../infra/synth';
import { DynamoIngestLedger } from '../../shared/adapters/aws/dynamo-ingest-ledger';
import { DynamoRepository } from '../../shared/adapters/aws/dynamo-repository';
import { organization } from '../../shared/config';
import { INGEST_LEASE_MS, type IngestDeps, ingestUpload } from '../../shared/features/intake/ingest';
import type { IngestLedger } from '../../shared/features/intake/ports';
import { reconcileUploads } from '../../shared/features/intake/reconcile';
import khtc from '../../shared/sample/submissions/2021-Q2/KHTC.json' with { type: 'json' };
import vp from '../../shared/sample/submissions/2021-Q2/VP.json' with { type: 'json' };
import { getTemplate } from '../../shared/templates';
import { memoryBlobs } from '../fakes/memory-blobs';

let db: LocalDynamo;
let period = 0;
let clock: Date;

beforeAll(async () => {
  db = await startLocalDynamo({ table: tableSpecFromTemplate(synthTemplate()) });
});
afterAll(async () => db?.stop());

/** A fresh quarter per test (one table for the file). */
let quarter: string;
beforeEach(() => {
  quarter = `${2030 + 2 * period++}-Q2`;
  clock = new Date('2021-06-10T02:00:00Z');
});

/** One bucket for the file, like the table: validation reads earlier quarters' bodies as history. */
const blobs = memoryBlobs();
const SCOPE = { orgId: organization.id, reportType: 'cchc' };

function system(ledger: IngestLedger = new DynamoIngestLedger(db.tableName, db.client, SCOPE)) {
  const repo = new DynamoRepository(db.tableName, db.client, SCOPE, blobs);
  const deps: IngestDeps & { objects: typeof blobs } = {
    repo,
    ledger,
    blobs,
    objects: blobs,
    template: getTemplate('cchc'),
    organization,
    now: () => clock,
    claimOwner: 'it',
    mailer: { send: async () => ({ messageId: 'm' }) },
  };
  const upload = async (name: string, narrative = '') => {
    const key = `raw/${quarter}/VP/${name}.json`;
    const body = { ...vp, period: quarter, narratives: { ...vp.narratives, ...(narrative ? { ketQuaNoiBat: narrative } : {}) } };
    await blobs.put(key, JSON.stringify(body), 'application/json');
    return key;
  };
  const versions = async () =>
    (await new DynamoIngestLedger(db.tableName, db.client, SCOPE).versionSlots(quarter, 'VP')).map((s) => s.version).sort();
  const acceptedAudit = async () => (await repo.listPeriodAudit(quarter)).filter((a) => a.action === 'submission.accepted');
  return { blobs, repo, deps, upload, versions, acceptedAudit };
}

/** The ledger with one method failing at its n-th call: the process died there. */
function crashing(method: keyof IngestLedger, at = 1): IngestLedger {
  const real = new DynamoIngestLedger(db.tableName, db.client, SCOPE);
  let calls = 0;
  return new Proxy(real, {
    get(target, prop, receiver) {
      const value = Reflect.get(target, prop, receiver);
      if (prop !== method || typeof value !== 'function') return typeof value === 'function' ? value.bind(target) : value;
      return async (...args: unknown[]) => {
        if (++calls === at) throw new Error(`killed in ${method}`);
        return value.apply(target, args);
      };
    },
  });
}

describe('DynamoIngestLedger on dynalite', () => {
  it('20 concurrent deliveries of one upload: one version, one audit entry, one accepted outcome', async () => {
    const s = system();
    const key = await s.upload('a');
    const results = await Promise.all(Array.from({ length: 20 }, () => ingestUpload(s.deps, { key })));
    expect(results.every((r) => r.status === 'accepted' || r.status === 'processing')).toBe(true);
    expect(await s.versions()).toEqual([1]);
    expect(await s.acceptedAudit()).toHaveLength(1);
    expect(await s.repo.getUpload(key)).toMatchObject({ status: 'accepted', version: 1 });
  });

  it('two uploads at once: versions 1 and 2, current = 2, the body read back from the blob store', async () => {
    const s = system();
    const [a, b] = await Promise.all([s.upload('a', 'Một'), s.upload('b', 'Hai')]);
    await Promise.all([ingestUpload(s.deps, { key: a }), ingestUpload(s.deps, { key: b })]);
    expect(await s.versions()).toEqual([1, 2]);
    const [current] = await s.repo.currentSubmissions([quarter]);
    expect(current.version).toBe(2);
    expect(current.bodyKey).toBe(`submissions/${quarter}/VP/v0002.json`);
    const second = (await s.repo.getUpload(a))?.version === 2 ? 'Một' : 'Hai';
    expect(JSON.stringify(current.submission.narratives.ketQuaNoiBat)).toContain(second);
  });

  it('a crash after the version was written: the claim stays processing, the reconciler completes it with no new version', async () => {
    const crashed = system(crashing('advanceCurrent'));
    const key = await crashed.upload('a');
    await expect(ingestUpload(crashed.deps, { key })).rejects.toThrow('killed');
    const ledger = new DynamoIngestLedger(db.tableName, db.client, SCOPE);
    expect(await ledger.getClaim(key)).toMatchObject({ status: 'processing', version: 1 });
    expect(await crashed.repo.getUpload(key)).toBeUndefined();

    // Same store, a healthy process after the lease.
    const s = { ...crashed, deps: { ...crashed.deps, ledger } };
    expect((await reconcileUploads(s.deps)).inProgress).toBe(1);
    clock = new Date(clock.getTime() + INGEST_LEASE_MS + 1000);
    expect((await reconcileUploads(s.deps)).resolved).toEqual([{ key, status: 'accepted' }]);
    expect(await s.versions()).toEqual([1]);
    expect(await s.acceptedAudit()).toHaveLength(1);
    expect((await s.repo.currentSubmissions([quarter]))[0].version).toBe(1);
    expect(await s.repo.getUpload(key)).toMatchObject({ status: 'accepted', version: 1 });
  });

  it('a crash between the version item and the claim: the retry finds its own version item', async () => {
    const crashed = system(crashing('setClaimVersion'));
    const key = await crashed.upload('a');
    await expect(ingestUpload(crashed.deps, { key })).rejects.toThrow('killed');
    clock = new Date(clock.getTime() + INGEST_LEASE_MS + 1000);
    const ledger = new DynamoIngestLedger(db.tableName, db.client, SCOPE);
    expect(await ingestUpload({ ...crashed.deps, ledger }, { key })).toMatchObject({ status: 'accepted', version: 1 });
    expect(await crashed.versions()).toEqual([1]);
  });

  it('reads one division’s current submissions alone when asked (an upload’s history), every division’s otherwise', async () => {
    const s = system();
    await ingestUpload(s.deps, { key: await s.upload('a') });
    // Another division's current item in the same quarter, written through the same ledger.
    await s.blobs.put(`raw/${quarter}/KHTC/b.json`, JSON.stringify({ ...khtc, period: quarter }), 'application/json');
    expect((await ingestUpload(s.deps, { key: `raw/${quarter}/KHTC/b.json` })).status).toBe('accepted');
    const all = await s.repo.currentSubmissions([quarter]);
    expect(all.map((x) => x.divisionId).sort()).toEqual(['KHTC', 'VP']);
    const one = await s.repo.currentSubmissions([quarter], 'VP');
    expect(one.map((x) => x.divisionId)).toEqual(['VP']);
    expect(one[0].submission.division).toBe('VP');
    // A division id that is the prefix of another matches only itself.
    expect(await s.repo.currentSubmissions([quarter], 'V')).toEqual([]);
  });

  it('an older upload redelivered never moves the current pointer back', async () => {
    const s = system();
    const a = await s.upload('a');
    const b = await s.upload('b');
    await ingestUpload(s.deps, { key: a });
    await ingestUpload(s.deps, { key: b });
    await Promise.all(Array.from({ length: 5 }, () => ingestUpload(s.deps, { key: a })));
    expect(await s.versions()).toEqual([1, 2]);
    expect((await s.repo.currentSubmissions([quarter]))[0]).toMatchObject({ version: 2, rawKey: b });
  });
});
