import type { Organization } from '../config/schema';
import { parsePeriod } from '../domain/periods';
import type { ReportTemplate } from '../domain/template';
import type { ApprovalLink, BlobStore, Clock, DecisionRecord, Mailer, Repository, Workflow } from '../ports';
import { approvalRequestEmail, returnedEmail } from '../web/emails';
import { newLinkSecret, sha256 } from './keys';
import { stepTimeoutSeconds } from './pipeline';

export interface ApprovalDeps {
  repo: Repository;
  blobs: BlobStore;
  mailer: Mailer;
  workflow: Workflow;
  template: ReportTemplate;
  organization: Organization;
  baseUrl: string;
  now: Clock;
}

export function reportSubject(template: ReportTemplate, periodId: string): string {
  return template.subject.replace('{period}', parsePeriod(periodId).label);
}

/** dd/mm/yyyy HH:mm in Vietnam time, for emails and pages. */
export function vnDateTime(iso: string): string {
  const d = new Date(new Date(iso).getTime() + 7 * 3600_000);
  const p = (n: number) => String(n).padStart(2, '0');
  return `${p(d.getUTCHours())}:${p(d.getUTCMinutes())} ngày ${p(d.getUTCDate())}/${p(d.getUTCMonth() + 1)}/${d.getUTCFullYear()}`;
}

/**
 * The waitForTaskToken task: one opaque single-use link per approver of the step, bound to the
 * step and the draft; only the link's hash is stored, next to the task token.
 */
export async function requestApproval(
  deps: ApprovalDeps,
  input: { taskToken: string; reportId: string; periodId: string; stepIndex: number; draft: { key: string; sha256: string; version: number } },
) {
  const { organization, repo } = deps;
  const step = organization.approvalChain[input.stepIndex];
  if (!step) throw new Error(`No approval step ${input.stepIndex}`);
  const now = deps.now();
  const expiresAt = new Date(now.getTime() + stepTimeoutSeconds(organization, input.stepIndex) * 1000).toISOString();
  const subject = reportSubject(deps.template, input.periodId);
  const period = parsePeriod(input.periodId);

  for (const approver of step.approvers) {
    const { secret, hash } = newLinkSecret();
    const link: ApprovalLink = {
      linkHash: hash,
      reportId: input.reportId,
      periodId: input.periodId,
      stepIndex: input.stepIndex,
      role: step.role,
      approverEmail: approver.email,
      approverName: approver.name,
      taskToken: input.taskToken,
      draftSha256: input.draft.sha256,
      draftKey: input.draft.key,
      draftVersion: input.draft.version,
      createdAt: now.toISOString(),
      expiresAt,
      status: 'pending',
    };
    await repo.putApprovalLink(link);
    const msg = approvalRequestEmail({
      to: [approver.email],
      approverName: approver.name,
      role: step.role,
      stepNumber: input.stepIndex + 1,
      stepCount: organization.approvalChain.length,
      periodLabel: period.label,
      subject,
      draftVersion: input.draft.version,
      decisionUrl: `${deps.baseUrl}/decision/${secret}`,
      deadline: vnDateTime(expiresAt),
    });
    const sent = await deps.mailer.send(msg);
    await repo.appendAudit(`REPORT#${input.reportId}`, {
      at: now.toISOString(),
      actor: 'system',
      action: 'email.approval_request',
      detail: { to: approver.email, step: input.stepIndex + 1, role: step.role, messageId: sent.messageId, draftSha256: input.draft.sha256 },
    });
  }
  await repo.updateReport(input.reportId, {
    status: 'awaiting_approval',
    currentStep: input.stepIndex,
    updatedAt: now.toISOString(),
  });
  return { sent: step.approvers.length };
}

export type LinkProblem = 'unknown' | 'used' | 'expired' | 'stale';

/** Looks a decision link up without changing anything (GET must be safe: mail scanners open links). */
export async function inspectLink(deps: Pick<ApprovalDeps, 'repo' | 'now'>, secret: string) {
  const link = await deps.repo.getApprovalLink(sha256(secret));
  if (!link) return { problem: 'unknown' as LinkProblem };
  const report = await deps.repo.getReport(link.reportId);
  if (link.status !== 'pending') return { problem: 'used' as LinkProblem, link, report };
  if (new Date(link.expiresAt) <= deps.now()) return { problem: 'expired' as LinkProblem, link, report };
  const current = report?.drafts.at(-1);
  if (!report || report.status !== 'awaiting_approval' || report.currentStep !== link.stepIndex || current?.sha256 !== link.draftSha256) {
    return { problem: 'stale' as LinkProblem, link, report };
  }
  return { link, report };
}

export interface DecisionInput {
  secret: string;
  decision: 'approve' | 'return';
  comment?: string;
  sourceIp?: string;
}

/** POST on a decision link: consume it once, record the decision, resume the workflow. */
export async function decide(deps: ApprovalDeps, input: DecisionInput) {
  const found = await inspectLink(deps, input.secret);
  if (found.problem || !found.link || !found.report) return { ok: false as const, problem: found.problem ?? 'unknown' };
  const { link, report } = found;
  const comment = input.comment?.normalize('NFC').trim();
  if (input.decision === 'return' && !comment) return { ok: false as const, problem: 'comment-required' as const };

  if (!(await deps.repo.consumeApprovalLink(link.linkHash, 'used'))) return { ok: false as const, problem: 'used' as LinkProblem };
  // Any-of approvers: the other approvers' links of this step stop working.
  for (const other of await deps.repo.pendingApprovals()) {
    if (other.reportId === link.reportId && other.stepIndex === link.stepIndex) {
      await deps.repo.consumeApprovalLink(other.linkHash, 'superseded');
    }
  }

  const at = deps.now().toISOString();
  const record: DecisionRecord = {
    stepIndex: link.stepIndex,
    role: link.role,
    decision: input.decision,
    decidedBy: `${link.approverName} <${link.approverEmail}>`,
    decidedAt: at,
    comment,
    draftSha256: link.draftSha256,
    sourceIp: input.sourceIp,
  };
  await deps.repo.updateReport(link.reportId, { decisions: [...report.decisions, record], updatedAt: at });
  await deps.repo.appendAudit(`REPORT#${link.reportId}`, {
    at,
    actor: link.approverEmail,
    action: `decision.${input.decision}`,
    detail: { step: link.stepIndex + 1, role: link.role, draftSha256: link.draftSha256, comment, sourceIp: input.sourceIp },
  });

  const chain = deps.organization.approvalChain;
  if (input.decision === 'approve') {
    const next = link.stepIndex + 1;
    const done = next >= chain.length;
    await deps.workflow.succeed(link.taskToken, {
      stepIndex: done ? link.stepIndex : next,
      done,
      timeoutSeconds: done ? 1 : stepTimeoutSeconds(deps.organization, next),
      decidedBy: link.approverEmail,
    });
  } else {
    const subject = reportSubject(deps.template, link.periodId);
    await deps.mailer.send(
      returnedEmail({
        to: [deps.organization.compiler.email],
        subject,
        role: link.role,
        by: link.approverName,
        comment: comment ?? '',
        reportUrl: `${deps.baseUrl}/reports/${encodeURIComponent(link.reportId)}`,
      }),
    );
    await deps.workflow.fail(link.taskToken, 'Rejected', comment ?? '');
  }
  return { ok: true as const, link, record };
}
