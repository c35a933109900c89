import { randomBytes } from 'node:crypto';
import { sha256 } from '../../crypto';
import { log } from '../../log';
import type { ApprovalLink, DecisionClaim, DecisionRecord } from '../../ports';
import { isTransientAwsError } from '../../transient-errors';
import { checkComment } from './comment';
import type { ApprovalDeps } from './ports';

export type LinkProblem = 'unknown' | 'used' | 'superseded' | 'expired' | 'stale' | 'decided';

/** Looks a decision link up without changing anything (GET must be safe: mail scanners open links). */
export async function inspectLink(deps: Pick<ApprovalDeps, 'repo' | 'now'>, secret: string) {
  const link = await deps.repo.getApprovalLink(sha256(secret));
  if (!link) return { problem: 'unknown' as LinkProblem };
  const report = await deps.repo.getReport(link.reportId);
  const holder = await stepHolder(deps, link);
  // This approver's own decision (the next step may have superseded the link before it was marked used).
  if (holder && holder.record.decidedBy === `${link.approverName} <${link.approverEmail}>`) {
    return { problem: 'used' as LinkProblem, link, report, holder };
  }
  if (link.status === 'superseded') return { problem: 'superseded' as LinkProblem, link, report, holder };
  if (link.status !== 'pending') return { problem: 'used' as LinkProblem, link, report, holder };
  // Another approver of this any-of step has decided (or is handing the decision on right now).
  if (holder) return { problem: 'decided' as LinkProblem, link, report, holder };
  if (new Date(link.expiresAt) <= deps.now()) return { problem: 'expired' as LinkProblem, link, report };
  const current = report?.drafts.at(-1);
  if (report?.status !== 'awaiting_approval' || report.currentStep !== link.stepIndex || current?.sha256 !== link.draftSha256) {
    return { problem: 'stale' as LinkProblem, link, report };
  }
  return { link, report };
}

/** The live (claimed or final) decision of the link's step and draft, if any. */
async function stepHolder(deps: Pick<ApprovalDeps, 'repo'>, link: ApprovalLink): Promise<DecisionClaim | undefined> {
  const claim = await deps.repo.getDecision(link.reportId, link.draftVersion, link.stepIndex);
  return claim && claim.state !== 'void' ? claim : undefined;
}

export interface DecisionInput {
  secret: string;
  decision: 'approve' | 'return';
  comment?: string;
  /** Division ids the approver names as concerned by a return. */
  divisions?: string[];
  sourceIp?: string;
}

export type DecideResult =
  | { ok: true; link: ApprovalLink; record: DecisionRecord }
  | { ok: false; problem: LinkProblem; holder?: DecisionClaim }
  /** The input was refused before anything changed (the link stays usable). */
  | { ok: false; problem: 'invalid'; message: string }
  /** The workflow no longer waits for this step (timed out, replaced): nothing was recorded. */
  | { ok: false; problem: 'handoff-expired' }
  /** Step Functions could not be reached after a few tries: nothing was recorded, the link stays usable. */
  | { ok: false; problem: 'handoff-unavailable' };

/** Errors of SendTaskSuccess/Failure after which retrying cannot help. */
const PERMANENT = new Set(['TaskTimedOut', 'TaskDoesNotExist', 'InvalidToken']);
/** Waits before the 2nd and 3rd try of a transient hand-off failure (jittered). */
export const HANDOFF_RETRY_MS = [150, 400];

/**
 * POST on a decision link. Ordered so that a failure leaves nothing half done:
 * 1. check the link and the input (length, content) — nothing changes on a refusal;
 * 2. claim the step (conditional write: the first decision of an any-of step wins);
 * 3. hand it to Step Functions (transient faults retried);
 * 4. only then: the claim is final, the decision visible on the report, the links consumed.
 * A hand-off that fails voids the claim, so the step can still be decided.
 */
export async function decide(deps: ApprovalDeps, input: DecisionInput): Promise<DecideResult> {
  const found = await inspectLink(deps, input.secret);
  if (found.problem || !found.link || !found.report) return { ok: false, problem: found.problem ?? 'unknown', holder: found.holder };
  const { link } = found;
  const checked = checkComment(input.comment, input.decision);
  if (!checked.ok) return { ok: false, problem: 'invalid', message: checked.message };
  const comment = checked.comment;
  const divisions = [...new Set(input.divisions ?? [])].filter((id) => deps.organization.divisions.some((d) => d.id === id));

  const record: DecisionRecord = {
    stepIndex: link.stepIndex,
    role: link.role,
    decision: input.decision,
    decidedBy: `${link.approverName} <${link.approverEmail}>`,
    decidedAt: deps.now().toISOString(),
    comment,
    divisions: input.decision === 'return' && divisions.length ? divisions : undefined,
    draftSha256: link.draftSha256,
    sourceIp: input.sourceIp,
  };
  const claim: DecisionClaim = {
    reportId: link.reportId,
    draftVersion: link.draftVersion,
    stepIndex: link.stepIndex,
    claimId: randomBytes(8).toString('hex'),
    state: 'claimed',
    record,
  };
  const claimed = await deps.repo.claimDecision(claim);
  if (!claimed.ok) return { ok: false, problem: 'decided', holder: claimed.holder };

  const handed = await handOff(deps, link, record);
  if (handed !== 'ok') {
    await deps.repo.settleDecision(claim, 'void');
    await deps.repo.appendReportAudit(link.reportId, {
      at: deps.now().toISOString(),
      actor: link.approverEmail,
      action: 'approval.handoff_failed',
      detail: { step: link.stepIndex + 1, decision: input.decision, reason: handed },
    });
    // A token the workflow no longer waits for makes the link useless: say so on the next visit too.
    if (handed === 'expired') await deps.repo.consumeApprovalLink(link.linkHash, 'superseded');
    return { ok: false, problem: handed === 'expired' ? 'handoff-expired' : 'handoff-unavailable' };
  }

  await publishDecision(deps, claim);
  deps.metrics?.timing('ApprovalLatencySeconds', Math.max(0, (deps.now().getTime() - Date.parse(link.createdAt)) / 1000));
  await deps.repo.consumeApprovalLink(link.linkHash, 'used');
  // Any-of approvers: the other links of this step and draft stop working (never the next step's).
  for (const other of await deps.repo.pendingApprovals()) {
    if (other.reportId === link.reportId && other.stepIndex === link.stepIndex && other.draftSha256 === link.draftSha256) {
      await deps.repo.consumeApprovalLink(other.linkHash, 'superseded');
    }
  }
  return { ok: true, link, record };
}

/**
 * Makes a handed-on decision final and visible (report + audit). Whoever moves the claim from
 * `claimed` to `final` publishes: the decider right after its hand-off, or the next task of the
 * workflow when the decider died in between (planNextApproval, requestRevision) — never both.
 */
export async function publishDecision(deps: Pick<ApprovalDeps, 'repo'>, claim: DecisionClaim): Promise<boolean> {
  if (!(await deps.repo.settleDecision(claim, 'final'))) return false;
  const { record } = claim;
  await deps.repo.appendDecision(claim.reportId, record);
  await deps.repo.appendReportAudit(claim.reportId, {
    at: record.decidedAt,
    actor: record.decidedBy.replace(/^.*<(.*)>$/, '$1'),
    action: `decision.${record.decision}`,
    detail: {
      step: record.stepIndex + 1,
      role: record.role,
      draftSha256: record.draftSha256,
      comment: record.comment,
      divisions: record.divisions,
      sourceIp: record.sourceIp,
    },
  });
  return true;
}

/** The workflow has moved past a step: publish its decision if the decider could not. */
export async function adoptHandedOnDecision(deps: Pick<ApprovalDeps, 'repo'>, reportId: string, stepIndex: number | undefined) {
  if (stepIndex === undefined) return;
  const draft = (await deps.repo.getReport(reportId))?.drafts.at(-1);
  const claim = draft && (await deps.repo.getDecision(reportId, draft.version, stepIndex));
  if (claim?.state === 'claimed') await publishDecision(deps, claim);
}

async function handOff(deps: ApprovalDeps, link: ApprovalLink, record: DecisionRecord): Promise<'ok' | 'expired' | 'unavailable'> {
  for (let attempt = 0; ; attempt++) {
    try {
      if (record.decision === 'approve') {
        await deps.workflow.succeed(link.taskToken, { decision: 'approve', decidedBy: link.approverEmail });
      } else {
        await deps.workflow.fail(link.taskToken, 'Rejected', record.comment ?? '');
      }
      return 'ok';
    } catch (err) {
      const name = err instanceof Error ? err.name : '';
      if (PERMANENT.has(name)) return 'expired';
      const transient = isTransientAwsError(err);
      if (!transient || attempt >= HANDOFF_RETRY_MS.length) {
        log.warn('decision hand-off failed', { reportId: link.reportId, step: link.stepIndex, error: String(err), transient });
        return 'unavailable';
      }
      await new Promise((r) => setTimeout(r, HANDOFF_RETRY_MS[attempt] * (0.5 + Math.random() / 2)));
    }
  }
}
