/**
 * Invariants of issue 10, judged on a StoreView (see store-view.ts, the only layout-aware module).
 * Each checker returns violations; an empty list means the invariant holds.
 */
import { readStore, type StoreEndpoints, type StoreView } from './store-view';

export type ViolationKind =
  | 'version.gap'
  | 'version.duplicate-upload'
  | 'version.no-upload-outcome'
  | 'current.missing'
  | 'current.not-latest'
  | 'accepted.duplicate'
  | 'raw.no-outcome'
  | 'decision.multiple'
  | 'decision.audit-multiple'
  | 'decision.mismatch'
  /** A decision handed to the workflow but not shown on the report, or shown without its claim. */
  | 'decision.claim-mismatch'
  | 'report.duplicate-active'
  | 'docno.gap'
  | 'docno.duplicate'
  /** A scenario-specific expectation (HTTP 500 to a user, a race with two winners, a report not resumed…). */
  | 'scenario';

export interface Violation {
  kind: ViolationKind;
  /** What it is about: a division-quarter, an object key, a report id, a year. */
  subject: string;
  detail: string;
}

export const v = (kind: ViolationKind, subject: string, detail: string): Violation => ({ kind, subject, detail });

/** Per division and quarter: versions 1..n, each from one distinct upload, current = latest. */
export function checkVersions(view: StoreView): Violation[] {
  const out: Violation[] = [];
  for (const d of view.divisions) {
    const subject = `${d.periodId}/${d.divisionId}`;
    const numbers = d.versions.map((x) => x.version);
    const n = numbers.length;
    const expected = Array.from({ length: n }, (_, i) => i + 1);
    if (numbers.join() !== expected.join()) out.push(v('version.gap', subject, `versions [${numbers.join(', ')}], expected 1..${n}`));
    if (d.counter !== undefined && d.counter !== n) {
      out.push(v('version.gap', subject, `version counter at ${d.counter} but ${n} version(s) stored`));
    }
    const byUpload = new Map<string, number[]>();
    for (const x of d.versions) {
      const id = `${x.rawKey}@${x.contentHash}`;
      byUpload.set(id, [...(byUpload.get(id) ?? []), x.version]);
      const outcome = view.uploads.get(x.rawKey);
      if (outcome?.status !== 'accepted') {
        out.push(v('version.no-upload-outcome', subject, `version ${x.version} from ${x.rawKey} has no accepted outcome`));
      }
    }
    for (const [id, versions] of byUpload) {
      if (versions.length > 1)
        out.push(v('version.duplicate-upload', subject, `one upload ${id} stored as versions ${versions.join(', ')}`));
    }
    const latest = d.versions.at(-1);
    if (latest && !d.current) out.push(v('current.missing', subject, `${n} version(s) but no current submission`));
    if (latest && d.current && d.current.version !== latest.version) {
      out.push(v('current.not-latest', subject, `current is version ${d.current.version}, latest is ${latest.version}`));
    }
  }
  const acceptedTimes = new Map<string, number>();
  for (const a of view.accepted) acceptedTimes.set(`${a.key}@${a.etag}`, (acceptedTimes.get(`${a.key}@${a.etag}`) ?? 0) + 1);
  for (const [id, times] of acceptedTimes) {
    if (times > 1) out.push(v('accepted.duplicate', id, `upload recorded as accepted ${times} times`));
  }
  return out;
}

/** Every object under raw/ has an outcome (accepted or refused) for its content. */
export function checkOutcomes(view: StoreView): Violation[] {
  const out: Violation[] = [];
  for (const o of view.rawObjects) {
    const outcome = view.uploads.get(o.key);
    if (!outcome || !['accepted', 'refused'].includes(outcome.status)) out.push(v('raw.no-outcome', o.key, 'no outcome recorded'));
    else if (outcome.etag && o.etag && outcome.etag !== o.etag) {
      out.push(v('raw.no-outcome', o.key, `outcome is for etag ${outcome.etag}, object has ${o.etag}`));
    }
  }
  return out;
}

/**
 * Per report and draft: at most one decision per step, and the decisions agree with where the
 * workflow went (approve → next step or release; return → returned, abandoned or a new draft).
 */
export function checkDecisions(view: StoreView, chainLength: number): Violation[] {
  const out: Violation[] = [];
  for (const r of view.reports) {
    const perStep = new Map<string, number>();
    for (const d of r.decisions) perStep.set(`${d.draftHash}#${d.stepIndex}`, (perStep.get(`${d.draftHash}#${d.stepIndex}`) ?? 0) + 1);
    for (const [id, n] of perStep) if (n > 1) out.push(v('decision.multiple', r.reportId, `${n} decisions for draft/step ${id}`));
    const audited = new Map<string, string[]>();
    for (const d of r.decisionAudit)
      audited.set(`${d.draftHash}#${d.stepIndex}`, [
        ...(audited.get(`${d.draftHash}#${d.stepIndex}`) ?? []),
        `${d.decision} by ${d.actor}`,
      ]);
    for (const [id, list] of audited) {
      if (list.length > 1)
        out.push(
          v('decision.audit-multiple', r.reportId, `audit records ${list.length} decisions for draft/step ${id}: ${list.join('; ')}`),
        );
    }

    for (const c of r.decisionClaims.filter((x) => x.state !== 'void')) {
      const shown = r.decisions.filter((d) => d.draftHash === c.draftHash && d.stepIndex === c.stepIndex);
      if (c.state === 'final' && (shown.length !== 1 || shown[0].decision !== c.decision || shown[0].decidedBy !== c.decidedBy)) {
        out.push(
          v(
            'decision.claim-mismatch',
            r.reportId,
            `step ${c.stepIndex + 1}: final claim ${c.decision} by ${c.decidedBy} not shown as such`,
          ),
        );
      }
    }
    for (const d of r.decisions) {
      const claim = r.decisionClaims.find((c) => c.draftHash === d.draftHash && c.stepIndex === d.stepIndex && c.state === 'final');
      if (!claim) out.push(v('decision.claim-mismatch', r.reportId, `step ${d.stepIndex + 1}: ${d.decision} shown without a final claim`));
    }

    const current = r.draftHashes.at(-1);
    for (const [i, hash] of r.draftHashes.entries()) {
      const round = r.decisions.filter((d) => d.draftHash === hash);
      const steps = round.map((d) => d.stepIndex);
      if (steps.some((s, k) => s !== k))
        out.push(v('decision.mismatch', r.reportId, `draft ${i + 1}: decisions for steps [${steps.join(', ')}]`));
      const firstReturn = round.findIndex((d) => d.decision === 'return');
      if (firstReturn >= 0 && firstReturn < round.length - 1) {
        out.push(v('decision.mismatch', r.reportId, `draft ${i + 1}: the chain went on after a return at step ${firstReturn + 1}`));
      }
      const last = round.at(-1);
      if (hash !== current) {
        if (last?.decision !== 'return') out.push(v('decision.mismatch', r.reportId, `draft ${i + 1} was replaced without a return`));
        continue;
      }
      if (!last) continue;
      if (last.decision === 'return' && !['returned', 'rejected'].includes(r.status)) {
        out.push(v('decision.mismatch', r.reportId, `last decision is a return at step ${last.stepIndex + 1}, report is ${r.status}`));
      }
      if (last.decision === 'approve') {
        if (['returned', 'rejected'].includes(r.status)) {
          out.push(v('decision.mismatch', r.reportId, `last decision approves step ${last.stepIndex + 1}, report is ${r.status}`));
        } else if (last.stepIndex < chainLength - 1 && r.status === 'awaiting_approval' && r.currentStep !== last.stepIndex + 1) {
          out.push(
            v('decision.mismatch', r.reportId, `step ${last.stepIndex + 1} approved, report waits at step ${(r.currentStep ?? -1) + 1}`),
          );
        } else if (last.stepIndex === chainLength - 1 && r.status === 'awaiting_approval') {
          out.push(v('decision.mismatch', r.reportId, 'last step approved, report still awaits approval'));
        }
      }
    }
    if (r.status === 'released' && r.decisions.filter((d) => d.draftHash === current && d.decision === 'approve').length !== chainLength) {
      out.push(v('decision.mismatch', r.reportId, 'released without one approval per step of the current draft'));
    }
  }
  return out;
}

/**
 * Per year of the register: the numbers handed out are consecutive (from the year's first, which
 * the organization may set to continue its own register), none given twice, each held by a report
 * released with that number; every released report's number is in the register.
 * Judged for the reports in the view (a scenario restricts it to its own reports).
 */
export function checkDocumentNumbers(view: StoreView): Violation[] {
  const out: Violation[] = [];
  const mine = new Map(view.reports.map((r) => [r.reportId, r]));
  const years = new Set([...view.register.keys(), ...view.reports.flatMap((r) => (r.release ? [r.release.year] : []))]);
  for (const year of years) {
    const entries = [...(view.register.get(year) ?? [])].sort((a, b) => a.number - b.number);
    const numbers = entries.map((e) => e.number);
    for (const [i, n] of numbers.entries()) {
      if (i > 0 && n === numbers[i - 1]) out.push(v('docno.duplicate', String(year), `number ${n} entered twice in the register`));
      if (i > 0 && n > numbers[i - 1] + 1) {
        out.push(v('docno.gap', String(year), `register skips from ${numbers[i - 1]} to ${n}`));
      }
    }
    const byReport = new Map<string, number[]>();
    for (const e of entries) byReport.set(e.reportId, [...(byReport.get(e.reportId) ?? []), e.number]);
    for (const [reportId, held] of byReport) {
      const r = mine.get(reportId);
      if (!r) continue;
      if (held.length > 1) out.push(v('docno.duplicate', String(year), `report ${reportId} holds numbers ${held.join(', ')}`));
      if (r.status !== 'released' || r.release?.number !== held[0]) {
        out.push(
          v(
            'docno.gap',
            String(year),
            `number ${held[0]} held by ${reportId}, which is ${r.status} with ${r.release?.number ?? 'no number'}`,
          ),
        );
      }
    }
    const released = view.reports.filter((r) => r.status === 'released' && r.release?.year === year);
    const seen = new Set<number>();
    for (const r of released) {
      const n = r.release!.number;
      if (seen.has(n)) out.push(v('docno.duplicate', String(year), `number ${n} given to more than one released report`));
      seen.add(n);
      if (!entries.some((e) => e.number === n && e.reportId === r.reportId)) {
        out.push(v('docno.gap', String(year), `released number ${n} of ${r.reportId} is not in the register`));
      }
    }
  }
  return out;
}

/** One active (or released) report per period: a second compile must not produce a second report. */
export function checkOneReportPerPeriod(view: StoreView): Violation[] {
  const live = ['compiling', 'awaiting_approval', 'returned', 'released'];
  const byPeriod = new Map<string, string[]>();
  for (const r of view.reports) if (live.includes(r.status)) byPeriod.set(r.periodId, [...(byPeriod.get(r.periodId) ?? []), r.reportId]);
  return [...byPeriod]
    .filter(([, ids]) => ids.length > 1)
    .map(([period, ids]) => v('report.duplicate-active', period, `${ids.length} live reports: ${ids.join(', ')}`));
}

export function checkAll(view: StoreView, chainLength: number): Violation[] {
  return [...checkVersions(view), ...checkOutcomes(view), ...checkDecisions(view, chainLength), ...checkDocumentNumbers(view)];
}

/** Reads the store and checks everything. */
export async function inspect(ep: StoreEndpoints, chainLength: number): Promise<{ view: StoreView; violations: Violation[] }> {
  const view = await readStore(ep);
  return { view, violations: checkAll(view, chainLength) };
}

export function summarize(violations: Violation[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const x of violations) counts[x.kind] = (counts[x.kind] ?? 0) + 1;
  return counts;
}

/** Restricts a view to some reports (scenarios sharing one runtime judge only their own). */
export function onlyReports(view: StoreView, reportIds: string[]): StoreView {
  return { ...view, reports: view.reports.filter((r) => reportIds.includes(r.reportId)) };
}
