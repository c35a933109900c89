/**
 * In-memory stores with the same conditional semantics as the DynamoDB adapter (one item per
 * key, conditions checked atomically), yielding to the event loop on every call so that
 * concurrent use cases interleave as they do against a real table.
 */

import type { DeskEdits } from '../../shared/domain/desk';
import type { AggregatedReport } from '../../shared/domain/report';
import type {
  ActiveReportLock,
  ApprovalLink,
  ApprovalLinkStore,
  AuditEntry,
  AuditLog,
  DecisionClaim,
  DecisionRecord,
  DecisionStore,
  DeskStore,
  ReportRecord,
  ReportScope,
  ReportStore,
  Workflow,
} from '../../shared/ports';

const tick = () => new Promise<void>((r) => setImmediate(r));
const clone = <T>(v: T): T => structuredClone(v);

export class FakeReportRepo implements ReportStore, ApprovalLinkStore, AuditLog, DecisionStore, ActiveReportLock {
  reports = new Map<string, ReportRecord>();
  links = new Map<string, ApprovalLink>();
  claims = new Map<string, DecisionClaim>();
  locks = new Map<string, { reportId: string; lockedAt: string }>();
  audit: Array<AuditEntry & { reportId: string }> = [];

  async createReport(rec: ReportRecord) {
    await tick();
    if (this.reports.has(rec.reportId)) throw new Error('exists');
    this.reports.set(rec.reportId, clone(rec));
  }
  async getReport(id: string) {
    await tick();
    const r = this.reports.get(id);
    return r && clone(r);
  }
  async updateReport(id: string, patch: Partial<ReportRecord>) {
    await tick();
    const r = this.reports.get(id);
    if (!r) throw new Error('missing');
    Object.assign(r, clone(patch));
    return clone(r);
  }
  async updateReportIf(
    id: string,
    expect: Partial<Pick<ReportRecord, 'status' | 'revisionToken' | 'resentAt' | 'deskToken'>>,
    patch: Partial<ReportRecord>,
  ) {
    await tick();
    const r = this.reports.get(id);
    if (!r) return undefined;
    for (const [k, v] of Object.entries(expect)) if ((r[k as keyof ReportRecord] ?? '') !== (v ?? '')) return undefined;
    Object.assign(r, clone(patch));
    return clone(r);
  }
  async listReports(periodId: string) {
    return [...this.reports.values()].filter((r) => r.periodId === periodId).map(clone);
  }
  async yearsWithData() {
    return [];
  }
  async currentSubmissions() {
    return [];
  }
  async getUpload() {
    return undefined;
  }

  async putApprovalLink(link: ApprovalLink) {
    await tick();
    this.links.set(link.linkHash, clone(link));
  }
  async getApprovalLink(hash: string) {
    await tick();
    const l = this.links.get(hash);
    return l && clone(l);
  }
  async consumeApprovalLink(hash: string, status: 'used' | 'superseded') {
    await tick();
    const l = this.links.get(hash);
    if (l?.status !== 'pending') return false;
    l.status = status;
    return true;
  }
  async pendingApprovals() {
    await tick();
    return [...this.links.values()].filter((l) => l.status === 'pending').map(clone);
  }

  private key(reportId: string, draft: number, step: number) {
    return `${reportId}#${draft}#${step}`;
  }
  async claimDecision(claim: DecisionClaim): Promise<{ ok: true } | { ok: false; holder: DecisionClaim }> {
    await tick();
    const k = this.key(claim.reportId, claim.draftVersion, claim.stepIndex);
    const held = this.claims.get(k);
    if (held && held.state !== 'void') return { ok: false, holder: clone(held) };
    this.claims.set(k, clone(claim));
    return { ok: true };
  }
  async getDecision(reportId: string, draft: number, step: number) {
    await tick();
    const c = this.claims.get(this.key(reportId, draft, step));
    return c && clone(c);
  }
  async settleDecision(claim: DecisionClaim, state: 'final' | 'void') {
    await tick();
    const held = this.claims.get(this.key(claim.reportId, claim.draftVersion, claim.stepIndex));
    if (held?.claimId !== claim.claimId || held.state !== 'claimed') return false;
    held.state = state;
    return true;
  }
  async appendDecision(reportId: string, record: DecisionRecord) {
    await tick();
    this.reports.get(reportId)?.decisions.push(clone(record));
  }

  private lockKey(s: ReportScope) {
    return `${s.orgId}#${s.templateId}#${s.periodId}`;
  }
  async lockActiveReport(scope: ReportScope, reportId: string, replacing?: string) {
    await tick();
    const k = this.lockKey(scope);
    const held = this.locks.get(k);
    if (replacing ? held?.reportId !== replacing : held) return { ok: false as const, holder: held?.reportId, lockedAt: held?.lockedAt };
    this.locks.set(k, { reportId, lockedAt: new Date().toISOString() });
    return { ok: true as const };
  }
  async unlockActiveReport(scope: ReportScope, reportId: string) {
    await tick();
    if (this.locks.get(this.lockKey(scope))?.reportId === reportId) this.locks.delete(this.lockKey(scope));
  }

  async appendReportAudit(reportId: string, entry: AuditEntry) {
    await tick();
    this.audit.push({ reportId, ...clone(entry) });
  }
  async appendPeriodAudit() {}
  async listReportAudit(reportId: string) {
    return this.audit.filter((a) => a.reportId === reportId);
  }
  async listPeriodAudit() {
    return [];
  }
}

/** A workflow whose task hand-offs can be held, failed or counted. */
export class FakeWorkflow implements Workflow {
  handoffs: Array<{ token: string; kind: 'succeed' | 'fail'; payload: unknown }> = [];
  stopped: string[] = [];
  started: string[] = [];
  /** Errors thrown by the next hand-offs, in order (then success). */
  failures: Error[] = [];
  /** When set, a hand-off waits for this promise before answering. */
  gate?: Promise<void>;
  private used = new Set<string>();

  private async handOff(token: string, kind: 'succeed' | 'fail', payload: unknown) {
    await tick();
    if (this.gate) await this.gate;
    const err = this.failures.shift();
    if (err) throw err;
    if (this.used.has(token)) throw named('TaskDoesNotExist', 'Task Does Not Exist');
    this.used.add(token);
    this.handoffs.push({ token, kind, payload });
  }
  async start(name: string) {
    await tick();
    this.started.push(name);
    return `arn:local:execution:${name}`;
  }
  succeed(token: string, output: Record<string, unknown>) {
    return this.handOff(token, 'succeed', output);
  }
  fail(token: string, error: string, cause: string) {
    return this.handOff(token, 'fail', { error, cause });
  }
  async describe(executionArn: string) {
    return { executionArn, status: 'RUNNING' };
  }
  async stop(executionArn: string) {
    await tick();
    this.stopped.push(executionArn);
  }
}

export function named(name: string, message: string, extra: Record<string, unknown> = {}): Error {
  return Object.assign(new Error(message), { name, ...extra });
}

/** The desk's versions and the drafts' reports, with the adapter's "each version once" condition. */
export class FakeDeskStore implements DeskStore {
  versions = new Map<string, DeskEdits[]>();
  drafts = new Map<string, AggregatedReport>();
  async currentDeskEdits(reportId: string) {
    await tick();
    return clone(this.versions.get(reportId)?.at(-1));
  }
  async listDeskEdits(reportId: string) {
    await tick();
    return clone(this.versions.get(reportId) ?? []);
  }
  async saveDeskEdits(reportId: string, edits: DeskEdits) {
    await tick();
    const list = this.versions.get(reportId) ?? [];
    if (list.some((v) => v.version === edits.version)) return false;
    this.versions.set(reportId, [...list, clone(edits)]);
    return true;
  }
  async putDraftReport(reportId: string, draftVersion: number, report: AggregatedReport) {
    await tick();
    this.drafts.set(`${reportId}#${draftVersion}`, clone(report));
  }
  async getDraftReport(reportId: string, draftVersion: number) {
    await tick();
    return clone(this.drafts.get(`${reportId}#${draftVersion}`));
  }
}
