/**
 * The signing slice's use cases with in-memory ports: SignDocument from the record (number
 * reserved once, provider answers, re-requests, the văn thư's ladder), the seal's verification
 * guard and Release's refusal of a PDF that changed after the seal.
 */
import { describe, expect, it } from 'vitest';
import { organization as bundled } from '../../shared/config';
import { type Organization, OrganizationSchema } from '../../shared/config/schema';
import { sha256 } from '../../shared/crypto';
import { MAX_SIGN_REQUESTS, SIGN_POLL_SECONDS, SIGN_REQUEST_SECONDS } from '../../shared/domain/signing-plan';
import { ValidationError } from '../../shared/errors';
import type { RegisterEntry, RegisterStore } from '../../shared/features/release/ports';
import { releaseSignedPdf } from '../../shared/features/release/release';
import type { SigningDeps, SigningFileName } from '../../shared/features/signing/ports';
import { applySeal, requestSigningAction } from '../../shared/features/signing/seal';
import { type SigningPlan, signDocument } from '../../shared/features/signing/sign-person';
import type { AuditEntry, MailMessage, ReportRecord } from '../../shared/ports';
import type { SignatureOutcome, SignerRef, VerifiedSignature } from '../../shared/signing/ports';
import { getTemplate } from '../../shared/templates';

const org: Organization = OrganizationSchema.parse({
  ...bundled,
  signing: {
    signer: { id: 'pgd', name: 'Nguyễn Trí Phương', email: 'phuong.pgd@x.example', provider: { provider: 'local', mode: 'confirm' } },
    organization: { provider: { provider: 'local', mode: 'auto' } },
  },
});

const verified = (name: string, ok = true): VerifiedSignature => ({
  signerName: name,
  issuer: 'baocao – CA thử nghiệm cục bộ',
  serialNumber: '01',
  signedAt: '2026-01-05T14:30:15+07:00',
  intact: ok,
  coversRevision: true,
  trusted: true,
  testOnly: true,
  problems: ok ? [] : ['tệp đã bị thay đổi sau khi ký'],
});

/** `sealAnswers`: what the organization's provider answers, request then polls (default: signed at once). */
function world(answers: SignatureOutcome[], sealAnswers: SignatureOutcome[] = []) {
  let clock = new Date('2026-01-05T07:30:00Z');
  const report: ReportRecord = {
    reportId: 'R-1',
    periodId: '2021',
    status: 'awaiting_approval',
    requestedBy: 'khoa',
    createdAt: clock.toISOString(),
    updatedAt: clock.toISOString(),
    aggregateKey: 'drafts/R-1/aggregate.json',
    drafts: [{ version: 1, key: 'd', sha256: 'h', fileName: 'v1.docx', createdAt: clock.toISOString() }],
    decisions: [],
  };
  const records = new Map([[report.reportId, report]]);
  const audit: AuditEntry[] = [];
  const mails: MailMessage[] = [];
  const files = new Map<string, Buffer>();
  const entries: RegisterEntry[] = [];
  const links = new Map<string, Parameters<RegisterStore['putClerkLink']>[0]>();
  const requests: string[] = [];
  const sealRequests: string[] = [];
  const sealPolls: string[] = [];
  const succeeded: unknown[] = [];
  const sealSigned = { status: 'signed' as const, signature: new Uint8Array([9]) };
  let verifyAs: (pdf: Buffer) => VerifiedSignature[] = (pdf) =>
    pdf.toString().includes('+seal') ? [verified('Người ký'), verified('Cơ quan')] : [verified('Người ký')];
  const provider = {
    kind: 'local' as const,
    credential: async () => ({ algorithm: 'RSASSA_PKCS1_V1_5_SHA_256' as const, chain: [new Uint8Array([1])], testOnly: true }),
    requestSignature: async (ref: { kind: string }, r: { requestId: string }) => {
      if (ref.kind === 'organization') {
        sealRequests.push(r.requestId);
        return sealAnswers.shift() ?? sealSigned;
      }
      requests.push(r.requestId);
      return answers.shift() ?? { status: 'pending' as const, transactionId: `tx-${requests.length}`, expiresAt: '' };
    },
    pollSignature: async (ref: { kind: string }, tx: string) => {
      if (ref.kind === 'organization') {
        sealPolls.push(tx);
        return sealAnswers.shift() ?? sealSigned;
      }
      return answers.shift() ?? { status: 'pending' as const, transactionId: 'tx', expiresAt: '' };
    },
  };
  const register = {
    highestNumber: async () => Math.max(0, ...entries.map((e) => e.number)),
    getEntry: async (_o: string, _y: number, n: number) => entries.find((e) => e.number === n),
    claimNumber: async (e: RegisterEntry) => (entries.some((x) => x.number === e.number) ? false : (entries.push(e), true)),
    findByReport: async (_o: string, _y: number, id: string) => entries.find((e) => e.reportId === id),
    reserveOnReport: async (id: string, n: NonNullable<ReportRecord['numbering']>) => {
      const r = records.get(id)!;
      r.numbering ??= n;
      return r.numbering;
    },
    putClerkLink: async (l: Parameters<RegisterStore['putClerkLink']>[0]) => void links.set(l.linkHash, l),
    getClerkLink: async (h: string) => links.get(h),
    consumeClerkLink: async (h: string) => {
      const l = links.get(h);
      if (l?.status !== 'pending') return false;
      l.status = 'used';
      return true;
    },
    markReleased: async (id: string, release: NonNullable<ReportRecord['release']>) => {
      Object.assign(records.get(id)!, { status: 'released', release });
      return { release, flipped: true };
    },
  } as unknown as RegisterStore;
  const key = (id: string, name: SigningFileName) => `${id}/${name}`;
  const deps: SigningDeps = {
    repo: {
      getReport: async (id) => structuredClone(records.get(id)),
      updateReport: async (id, patch) => Object.assign(records.get(id)!, structuredClone(patch)),
      appendReportAudit: async (_id, e) => void audit.push(e),
    },
    register,
    files: {
      putSigningFile: async (id, name, body) => void files.set(key(id, name), body),
      getSigningFile: async (id, name) => {
        const f = files.get(key(id, name));
        if (!f) throw new Error(`no ${name}`);
        return Buffer.from(f);
      },
      presignSigningFile: async () => 'https://s3.example/x',
    },
    blobs: { get: async () => Buffer.from('{}') },
    // No desk edits: the final PDF prints the aggregate.
    desk: { getDraftReport: async () => undefined },
    pades: {
      renderFinal: async (input) => ({
        pdf: Buffer.from(`pdf ${input.number}`),
        signatureBox: { page: 0, x: 1, y: 2, width: 3, height: 4 },
      }),
      prepare: async (pdf, o) => ({ digest: new Uint8Array(32), state: Buffer.from(`${pdf.toString()}|${o.appearance}`) }),
      complete: async (state) => Buffer.from(state.toString().includes('organization') ? `${state}+seal` : `${state}+person`),
      verify: async (pdf) => verifyAs(pdf),
    },
    keys: { provider: () => provider, image: async () => new Uint8Array([1]), trustedRoots: async () => [] },
    mailer: { send: async (m) => (mails.push(m), { messageId: `m${mails.length}` }) },
    workflow: { succeed: async (_t, o) => void succeeded.push(o), fail: async () => undefined },
    template: getTemplate('cchc'),
    organization: org,
    baseUrl: 'https://baocao.example',
    now: () => clock,
    local: true,
  };
  return {
    deps,
    record: () => records.get('R-1')!,
    audit,
    mails,
    files,
    entries,
    links,
    requests,
    sealRequests,
    sealPolls,
    succeeded,
    tick: (s: number) => (clock = new Date(clock.getTime() + s * 1000)),
    verifyAs: (f: typeof verifyAs) => (verifyAs = f),
  };
}

/** Runs SignDocument as the machine does: each answer is the next call's previous plan. */
async function step(w: ReturnType<typeof world>, previous?: SigningPlan, event?: unknown) {
  if (previous?.next === 'poll') w.tick(SIGN_POLL_SECONDS);
  return signDocument(w.deps, { reportId: 'R-1', periodId: '2021', previous, event });
}

describe('SignDocument', () => {
  it('reserves the number first, asks the person, polls, and on their signature asks the văn thư', async () => {
    const w = world([]);
    const first = await step(w);
    expect(first).toEqual({ next: 'poll', timeoutSeconds: SIGN_POLL_SECONDS });
    expect(w.entries.map((e) => e.number)).toEqual([1]);
    expect(w.record().signing?.signer).toMatchObject({ phase: 'pending', requests: 1, transactionId: 'tx-1' });
    expect(w.mails.map((m) => m.subject)).toEqual([expect.stringMatching(/^\[Cần ký số\] .*01\/BC-SCT/)]);
    // The local system's mail carries the stand-in for the phone.
    expect(w.mails[0].text).toContain('https://baocao.example/_local/sign/tx-1');

    const still = await step(w, first);
    expect(still.next).toBe('poll');
    expect(w.record().signing?.signer.waitedSeconds).toBe(SIGN_POLL_SECONDS);

    const signed = await signDocument(
      {
        ...w.deps,
        keys: {
          ...w.deps.keys,
          provider: () => ({
            kind: 'local',
            credential: async () => ({ algorithm: 'RSASSA_PKCS1_V1_5_SHA_256', chain: [new Uint8Array([1])], testOnly: true }),
            requestSignature: async () => ({ status: 'expired' }),
            pollSignature: async () => ({ status: 'signed', signature: new Uint8Array([7]) }),
          }),
        },
      },
      { reportId: 'R-1', periodId: '2021', previous: still },
    );
    expect(signed).toMatchObject({ next: 'seal', seal: { phase: 'waiting', stepIndex: 0 } });
    expect(w.files.get('R-1/signer')?.toString()).toBe('pdf 1|person+person');
    expect(w.record().signing).toMatchObject({ signer: { phase: 'signed' }, signedBy: { signerName: 'Người ký' } });
    expect(w.record().signing?.signerPdfSha256).toBe(sha256(w.files.get('R-1/signer')!));
    // The number was reserved once.
    expect(w.entries).toHaveLength(1);
  });

  it('stops before reserving a number or asking anyone when a signer has no image (a real provider without stored material)', async () => {
    const w = world([]);
    const missing = new ValidationError(
      'Chưa có ảnh con dấu của Sở Công Thương (signing.organization.seal): dùng lệnh baocao org signing put-image --seal <tệp.png> trước khi trình ký.',
    );
    const deps = {
      ...w.deps,
      keys: {
        ...w.deps.keys,
        image: async (ref: SignerRef) => (ref.kind === 'organization' ? Promise.reject(missing) : new Uint8Array([1])),
      },
    };
    await expect(signDocument(deps, { reportId: 'R-1', periodId: '2021' })).rejects.toThrow(missing.message);
    expect(w.entries).toEqual([]);
    expect(w.requests).toEqual([]);
    expect(w.mails).toEqual([]);
  });

  it('re-requests after expiries with the same number (reminder, escalation to the compiler), then asks the compiler', async () => {
    const w = world([]);
    let plan = await step(w);
    const rounds = SIGN_REQUEST_SECONDS / SIGN_POLL_SECONDS;
    for (let i = 0; i < rounds * MAX_SIGN_REQUESTS && plan.next === 'poll'; i++) plan = await step(w, plan);
    expect(plan.next).toBe('retry');
    expect(w.requests).toEqual(Array.from({ length: MAX_SIGN_REQUESTS }, (_, i) => `R-1#sign#${i + 1}`));
    expect(w.mails.map((m) => m.subject.split(']')[0])).toEqual(['[Cần ký số', '[Nhắc ký số', '[Quá hạn – cần ký số']);
    expect(w.mails[2].to).toContain(org.compiler.email);
    expect(w.record().signing?.signer.stalled?.reason).toBe('expired');
    expect(w.entries.map((e) => e.number)).toEqual([1]);

    // "thử ký lại": a fresh series, the same number on the document.
    const again = await step(w, plan, { action: 'retry', by: 'khoa' });
    expect(again.next).toBe('poll');
    expect(w.requests.at(-1)).toBe(`R-1#sign#${MAX_SIGN_REQUESTS + 1}`);
    expect(w.entries).toHaveLength(1);
  });

  it('rides out a provider outage: the same request is sent again each round, then a new one, then the compiler is told', async () => {
    const w = world([]);
    const down = () => Promise.reject(new Error('connect ECONNREFUSED 127.0.0.1:9'));
    const provider = w.deps.keys.provider({ kind: 'person', organizationId: org.id, personId: 'pgd' });
    const sent: string[] = [];
    w.deps.keys.provider = () => ({
      ...provider,
      requestSignature: (_ref, r) => (sent.push(r.requestId), down()),
      pollSignature: down,
    });
    let plan = await step(w);
    const rounds = SIGN_REQUEST_SECONDS / SIGN_POLL_SECONDS;
    for (let i = 0; i < (rounds + 1) * MAX_SIGN_REQUESTS && plan.next === 'poll'; i++) plan = await step(w, plan);
    expect(plan.next).toBe('retry');
    expect(w.record().signing?.signer.stalled).toMatchObject({ reason: 'outage', detail: expect.stringContaining('ECONNREFUSED') });
    // One prepared request per series step, each sent again every round with the same id.
    expect(new Set(sent)).toEqual(new Set(Array.from({ length: MAX_SIGN_REQUESTS }, (_, i) => `R-1#sign#${i + 1}`)));
    expect(sent.length).toBeGreaterThan(MAX_SIGN_REQUESTS * (rounds - 1));
    expect(w.entries).toHaveLength(1);
  });

  it('stalls when the returned signature does not verify: it is never passed on to the văn thư', async () => {
    const w = world([{ status: 'signed', signature: new Uint8Array([1]) }]);
    w.verifyAs(() => [verified('Người ký', false)]);
    expect((await step(w)).next).toBe('retry');
    expect(w.files.has('R-1/signer')).toBe(false);
    expect(w.record().signing?.signer.stalled?.detail).toContain('tệp đã bị thay đổi sau khi ký');
  });

  it("moves the văn thư's wait along reminder → escalation → expiry on timer events only", async () => {
    const w = world([{ status: 'signed', signature: new Uint8Array([1]) }]);
    let plan = await step(w);
    expect(plan.seal?.phase).toBe('waiting');
    // A resumed execution (no timer) keeps the phase and deadline.
    expect((await step(w, undefined, { resume: true })).seal).toEqual(plan.seal);
    const phases: string[] = [];
    for (let i = 0; i < 3; i++) {
      plan = await step(w, plan, { Error: 'States.Timeout' });
      phases.push(plan.next === 'seal' ? plan.seal!.phase : plan.next);
    }
    expect(phases).toEqual(['reminded', 'escalated', 'expired']);
    expect(w.audit.map((a) => a.action).filter((a) => a.startsWith('seal.'))).toEqual([
      'seal.reminder_due',
      'seal.escalated',
      'seal.expired',
    ]);
  });

  it('an operator resumes a report whose văn thư let the wait expire: awaiting its signatures again, same number, fresh wait', async () => {
    const w = world([{ status: 'signed', signature: new Uint8Array([1]) }]);
    await step(w);
    const number = w.record().numbering?.number;
    Object.assign(w.record(), { status: 'failed', signing: { ...w.record().signing, seal: undefined } });
    const plan = await step(w, undefined, { resume: true });
    expect(plan).toMatchObject({ next: 'seal', seal: { phase: 'waiting' } });
    expect(w.record()).toMatchObject({ status: 'awaiting_approval', numbering: { number } });
    expect(w.entries).toHaveLength(1);
  });
});

describe("the văn thư's seal and the release", () => {
  async function signedWorld(sealAnswers: SignatureOutcome[] = []) {
    const w = world([{ status: 'signed', signature: new Uint8Array([1]) }], sealAnswers);
    const plan = await step(w);
    await requestSigningAction(w.deps, { taskToken: 'T1', reportId: 'R-1', periodId: '2021', kind: 'seal', seal: plan.seal });
    const secret = /\/seal\/([A-Za-z0-9_-]+)/.exec(w.mails.at(-1)!.text)![1];
    return { w, secret };
  }

  it('applies the organization signature, verifies both, continues the execution; the link is single use; Release writes the PDF', async () => {
    const { w, secret } = await signedWorld();
    await applySeal(w.deps, secret);
    expect(w.succeeded).toEqual([{ sealed: true, by: org.recordsClerk!.email }]);
    expect(w.record().signing?.signedPdfSha256).toBe(sha256(w.files.get('R-1/sealed')!));
    await expect(applySeal(w.deps, secret)).rejects.toThrow(/không còn hiệu lực/);

    // Release writes the sealed PDF (verified at the seal, pinned by its hash) beside the .docx; a changed byte is refused.
    const puts: string[] = [];
    const releaseDeps = {
      ...w.deps,
      blobs: { get: async () => Buffer.from(''), put: async (k: string) => (puts.push(k), { etag: 'e' }), presignGet: async () => '' },
      // No verifier: release relies on the seal's verification and the hash it recorded.
      signed: { files: w.deps.files },
    } as unknown as Parameters<typeof releaseSignedPdf>[0];
    const pdf = await releaseSignedPdf(releaseDeps, w.record(), 'released/2026/x.pdf', 'x.pdf');
    expect(pdf).toMatchObject({ key: 'released/2026/x.pdf', signatures: [{ signerName: 'Người ký' }, { signerName: 'Cơ quan' }] });
    expect(puts).toEqual(['released/2026/x.pdf']);
    const sealed = w.files.get('R-1/sealed')!;
    sealed[0] ^= 1;
    await expect(releaseSignedPdf(releaseDeps, w.record(), 'released/2026/x.pdf', 'x.pdf')).rejects.toMatchObject({
      name: 'SignatureInvalid',
    });
    expect(puts).toHaveLength(1);
  });

  it('refuses when the PDF the person signed changed in storage, and when the result does not verify: nothing kept, link still usable', async () => {
    const { w, secret } = await signedWorld();
    w.files.set('R-1/signer', Buffer.from('changed'));
    await expect(applySeal(w.deps, secret)).rejects.toMatchObject({ status: 409, message: expect.stringContaining('bị thay đổi') });
    expect(w.succeeded).toEqual([]);
    expect(w.files.has('R-1/sealed')).toBe(false);
    expect([...w.links.values()].at(-1)?.status).toBe('pending');
    expect(w.audit.map((a) => a.action)).toContain('seal.refused');

    // The person's PDF intact again, but the organization's signature does not verify.
    const again = await signedWorld();
    again.w.verifyAs((pdf) =>
      pdf.toString().includes('+seal') ? [verified('Người ký'), verified('Cơ quan', false)] : [verified('Người ký')],
    );
    await expect(applySeal(again.w.deps, again.secret)).rejects.toMatchObject({ status: 409, message: expect.stringContaining('Cơ quan') });
    expect(again.w.succeeded).toEqual([]);
    expect(again.w.files.has('R-1/sealed')).toBe(false);
  });

  it('waits for a remote provider: the first press asks, later presses of the same link collect the signature over the PDF prepared then', async () => {
    const pending = { status: 'pending' as const, transactionId: 'seal-tx', expiresAt: '' };
    const { w, secret } = await signedWorld([pending, pending, { status: 'signed', signature: new Uint8Array([9]) }]);
    expect(await applySeal(w.deps, secret)).toMatchObject({ pending: true });
    expect(w.record().signing?.sealRequest).toMatchObject({ transactionId: 'seal-tx' });
    expect(w.files.has('R-1/seal-prepared')).toBe(true);
    expect(w.succeeded).toEqual([]);
    w.tick(60);
    expect(await applySeal(w.deps, secret)).toMatchObject({ pending: true });
    w.tick(60);
    expect(await applySeal(w.deps, secret)).toMatchObject({ pending: false });
    // One request, two polls of its transaction: the PDF prepared at the first press is the one completed.
    expect(w.sealRequests).toHaveLength(1);
    expect(w.sealPolls).toEqual(['seal-tx', 'seal-tx']);
    expect(w.succeeded).toEqual([{ sealed: true, by: org.recordsClerk!.email }]);
    expect(w.record().signing?.sealRequest).toBeUndefined();
    expect(w.files.get('R-1/sealed')?.toString()).toContain('|organization+seal');
    expect(w.audit.filter((a) => a.action === 'seal.requested')).toHaveLength(1);
  });

  it('asks anew after a refusal on the device or a request left too long, each under a new request id', async () => {
    const pending = { status: 'pending' as const, transactionId: 'seal-tx', expiresAt: '' };
    const { w, secret } = await signedWorld([pending, { status: 'rejected', reason: 'Từ chối trên thiết bị' }, pending]);
    await applySeal(w.deps, secret);
    await expect(applySeal(w.deps, secret)).rejects.toMatchObject({ status: 409, message: expect.stringContaining('bị từ chối') });
    expect(w.record().signing?.sealRequest).toBeUndefined();
    expect([...w.links.values()].at(-1)?.status).toBe('pending');
    w.tick(1);
    expect(await applySeal(w.deps, secret)).toMatchObject({ pending: true });
    // Left more than SEAL_REQUEST_MINUTES: the next press prepares and asks again (signed at once by default).
    w.tick(11 * 60);
    expect(await applySeal(w.deps, secret)).toMatchObject({ pending: false });
    expect(w.sealRequests).toHaveLength(3);
    expect(new Set(w.sealRequests).size).toBe(3);
  });
});
