import { randomBytes } from 'node:crypto';
import { type Contact, chainFor } from '../../config/schema';
import { newLinkSecret } from '../../crypto';
import {
  type ApprovalEvent,
  type ApprovalState,
  CONTINUE_AFTER_SECONDS,
  deciders,
  MAX_DRAFTS,
  planApproval,
  resumeApproval,
} from '../../domain/approval-plan';
import { parsePeriod } from '../../domain/periods';
import { reportSubject } from '../../domain/report-subject';
import { ConflictError, NotFoundError } from '../../errors';
import { vnDateTime } from '../../format/vietnam-time';
import { publicUrl } from '../../http/url';
import type { ApprovalLink, ReportRecord } from '../../ports';
import { adoptHandedOnDecision, publishDecision } from './decide';
import { approvalRequestEmail, returnedEmail } from './emails';
import type { ApprovalDeps } from './ports';

/** Longest a presigned S3 GET may live (SigV4). */
const MAX_PRESIGN_SECONDS = 7 * 86400;
function chain(deps: Pick<ApprovalDeps, 'organization' | 'template'>) {
  return chainFor(deps.organization, deps.template.id);
}

/**
 * PlanApproval task: the next wait of the chain, kept on the report for pages and emails.
 * A `resume` event plans from the record (the approvals of the current draft); when the execution
 * is older than CONTINUE_AFTER_SECONDS and about to wait, the plan asks for continue-as-new.
 */
export async function planNextApproval(
  deps: Pick<ApprovalDeps, 'repo' | 'organization' | 'template' | 'now'>,
  input: { reportId: string; previous?: ApprovalState; event: ApprovalEvent; executionStartedAt?: string },
) {
  // The approved step's decision reached the workflow: make sure the report shows it.
  if (input.event.kind === 'approved') await adoptHandedOnDecision(deps, input.reportId, input.previous?.stepIndex);
  const now = deps.now();
  let next: ApprovalState;
  if (input.event.kind === 'resume') {
    const report = await deps.repo.getReport(input.reportId);
    if (!report) throw new NotFoundError(`Không tìm thấy báo cáo ${input.reportId}.`);
    const draft = report.drafts.at(-1);
    const approved = new Set(
      report.decisions.filter((d) => d.decision === 'approve' && d.draftSha256 === draft?.sha256).map((d) => d.stepIndex),
    );
    next = resumeApproval(chain(deps), report.approval, approved, now);
  } else {
    next = planApproval(chain(deps), input.previous, input.event, now);
  }
  const started = input.executionStartedAt ? Date.parse(input.executionStartedAt) : Number.NaN;
  next.continueAsNew = !next.done && !next.expired && now.getTime() - started >= CONTINUE_AFTER_SECONDS * 1000;
  const at = now.toISOString();
  await deps.repo.updateReport(input.reportId, { approval: next, currentStep: next.stepIndex, updatedAt: at });
  if (input.event.kind === 'timer') {
    const action = next.expired ? 'approval.expired' : next.phase === 'reminded' ? 'approval.reminder_due' : 'approval.escalated';
    await deps.repo.appendReportAudit(input.reportId, {
      at,
      actor: 'system',
      action,
      detail: { step: next.stepIndex + 1, deadline: next.deadline },
    });
  }
  return next;
}

const REASON_BY_PHASE = { waiting: 'request', reminded: 'reminder', escalated: 'escalation' } as const;

/**
 * AwaitApproval task (waitForTaskToken): mails a fresh single-use link to everyone who may decide
 * in this phase. Earlier links of the step stop working, so a retried invocation, a reminder or
 * an escalation never leaves two live links; only the links' hashes are stored.
 */
export async function requestApproval(
  deps: ApprovalDeps,
  input: {
    taskToken: string;
    reportId: string;
    periodId: string;
    approval: ApprovalState;
    draft: { key: string; sha256: string; version: number };
  },
) {
  const reason = REASON_BY_PHASE[input.approval.phase];
  const to = deciders(chain(deps), input.approval.stepIndex, input.approval.phase, deps.organization.compiler);
  await supersedePending(deps.repo, input.reportId);
  await sendLinks(deps, { ...input, reason, to, expiresAt: input.approval.deadline });
  await deps.repo.updateReport(input.reportId, {
    status: 'awaiting_approval',
    currentStep: input.approval.stepIndex,
    approval: input.approval,
    updatedAt: deps.now().toISOString(),
  });
  return { sent: to.length, reason };
}

/** The compiler resends the current step's email: new links, the old ones stop working. */
export async function resendApproval(deps: ApprovalDeps, reportId: string, actor: string, comment?: string) {
  const report = await deps.repo.getReport(reportId);
  if (!report) throw new NotFoundError(`Không tìm thấy báo cáo ${reportId}.`);
  const live = (await deps.repo.pendingApprovals()).filter((l) => l.reportId === reportId);
  const token = live[0]?.taskToken;
  const draft = report.drafts.at(-1);
  if (report.status !== 'awaiting_approval' || !token || !draft || !report.approval) {
    throw new ConflictError('Báo cáo không ở bước chờ phê duyệt; không có thư nào để gửi lại.');
  }
  const decided = await deps.repo.getDecision(reportId, draft.version, report.approval.stepIndex);
  if (decided && decided.state !== 'void') {
    throw new ConflictError('Bước phê duyệt này vừa có ý kiến; không gửi lại thư. Vui lòng tải lại trang để xem trạng thái mới.');
  }
  const to = deciders(chain(deps), report.approval.stepIndex, report.approval.phase, deps.organization.compiler);
  // Two resends at once (or a resend racing a decision that moved the report on): one wins.
  const at = deps.now().toISOString();
  const claimed = await deps.repo.updateReportIf(
    reportId,
    { status: 'awaiting_approval', resentAt: report.resentAt ?? '' },
    { resentAt: `${at}#${randomBytes(4).toString('hex')}` },
  );
  if (!claimed || claimed.currentStep !== report.currentStep) throw new ConflictError(RACE_LOST);
  await supersedePending(deps.repo, reportId);
  await sendLinks(deps, {
    taskToken: token,
    reportId,
    periodId: report.periodId,
    approval: report.approval,
    draft,
    reason: 'resend',
    to,
    expiresAt: report.approval.deadline,
  });
  await deps.repo.appendReportAudit(reportId, {
    at: deps.now().toISOString(),
    actor,
    action: 'approval.resent',
    detail: { step: report.approval.stepIndex + 1, to: to.map((c) => c.email), ...(comment?.trim() ? { comment: comment.trim() } : {}) },
  });
  return { sent: to.length };
}

async function supersedePending(repo: ApprovalDeps['repo'], reportId: string) {
  for (const old of await repo.pendingApprovals()) {
    if (old.reportId === reportId) await repo.consumeApprovalLink(old.linkHash, 'superseded');
  }
}

async function sendLinks(
  deps: ApprovalDeps,
  p: {
    taskToken: string;
    reportId: string;
    periodId: string;
    approval: ApprovalState;
    draft: { key: string; sha256: string; version: number };
    reason: ApprovalLink['reason'] & string;
    to: Contact[];
    expiresAt: string;
  },
) {
  const steps = chain(deps);
  const step = steps[p.approval.stepIndex];
  const now = deps.now();
  const subject = reportSubject(deps.template, p.periodId);
  const period = parsePeriod(p.periodId);
  const presignSeconds = Math.max(60, Math.min(MAX_PRESIGN_SECONDS, Math.round((new Date(p.expiresAt).getTime() - now.getTime()) / 1000)));
  const draftUrl = await deps.blobs.presignGet(p.draft.key, presignSeconds, p.draft.key.split('/').pop());
  // The compiler confirmed compiling with submissions missing: every approval mail says so.
  const gap = (await deps.repo.getReport(p.reportId))?.gap?.missing;

  for (const approver of p.to) {
    const { secret, hash } = newLinkSecret();
    const link: ApprovalLink = {
      linkHash: hash,
      reportId: p.reportId,
      periodId: p.periodId,
      stepIndex: p.approval.stepIndex,
      role: step.role,
      approverEmail: approver.email,
      approverName: approver.name,
      taskToken: p.taskToken,
      draftSha256: p.draft.sha256,
      draftKey: p.draft.key,
      draftVersion: p.draft.version,
      createdAt: now.toISOString(),
      expiresAt: p.expiresAt,
      status: 'pending',
      reason: p.reason,
    };
    await deps.repo.putApprovalLink(link);
    const sent = await deps.mailer.send(
      approvalRequestEmail({
        reason: p.reason,
        to: [approver.email],
        approverName: approver.name,
        role: step.role,
        stepNumber: p.approval.stepIndex + 1,
        stepCount: steps.length,
        periodLabel: period.label,
        subject,
        draftVersion: p.draft.version,
        draftUrl,
        gap,
        decisionUrl: publicUrl(deps.baseUrl, `decision/${secret}`),
        deadline: vnDateTime(p.expiresAt),
      }),
    );
    await deps.repo.appendReportAudit(p.reportId, {
      at: now.toISOString(),
      actor: 'system',
      action: `email.approval_${p.reason}`,
      detail: {
        to: approver.email,
        step: p.approval.stepIndex + 1,
        role: step.role,
        messageId: sent.messageId,
        draftSha256: p.draft.sha256,
      },
    });
  }
}

/**
 * AwaitRevision task (waitForTaskToken): a returned report waits for the compiler. The comment
 * goes to the compiler and to the divisions the approver named.
 */
export async function requestRevision(
  deps: ApprovalDeps,
  input: { taskToken: string; reportId: string; periodId: string; returned?: { Cause?: string } },
) {
  const report = await deps.repo.getReport(input.reportId);
  if (!report) throw new NotFoundError(`Không tìm thấy báo cáo ${input.reportId}.`);
  // The decider appends its decision to the report after the hand-off: read its claim, which
  // exists before the workflow moves, so this task never misses the comment in a race.
  const draft = report.drafts.at(-1);
  const claim =
    draft && report.currentStep !== undefined ? await deps.repo.getDecision(input.reportId, draft.version, report.currentStep) : undefined;
  if (claim?.state === 'claimed' && claim.record.decision === 'return') await publishDecision(deps, claim);
  const last =
    claim && claim.state !== 'void' && claim.record.decision === 'return'
      ? claim.record
      : [...report.decisions].reverse().find((d) => d.decision === 'return');
  const comment = last?.comment ?? input.returned?.Cause ?? '';
  const at = deps.now().toISOString();
  const subject = reportSubject(deps.template, input.periodId);
  const common = {
    subject,
    role: last?.role ?? '',
    by: last?.decidedBy.replace(/\s*<.*>$/, '') ?? '',
    comment,
    reportUrl: publicUrl(deps.baseUrl, `reports/${encodeURIComponent(input.reportId)}`),
  };
  await deps.mailer.send(returnedEmail({ ...common, to: [deps.organization.compiler.email], audience: 'compiler' }));
  const divisionEmails = deps.organization.divisions
    .filter((d) => last?.divisions?.includes(d.id))
    .flatMap((d) => d.contacts.map((c) => c.email));
  if (divisionEmails.length) await deps.mailer.send(returnedEmail({ ...common, to: divisionEmails, audience: 'division' }));
  // "Returned" is shown once the people who must act have been told (a retry re-sends, never skips).
  await deps.repo.updateReport(input.reportId, { status: 'returned', revisionToken: input.taskToken, updatedAt: at });
  await deps.repo.appendReportAudit(input.reportId, {
    at,
    actor: 'system',
    action: 'report.returned',
    detail: { comment, notified: [deps.organization.compiler.email, ...divisionEmails] },
  });
  return { notified: 1 + divisionEmails.length };
}

const RACE_LOST =
  'Báo cáo vừa được xử lý bởi một thao tác khác (tổng hợp lại, dừng hoặc gửi lại thư). Không có thay đổi nào từ yêu cầu này; vui lòng tải lại trang để xem trạng thái mới.';

/**
 * The compiler stops a report waiting at the editing desk (no approver has seen this draft): the
 * desk's token is taken by a conditional update, so "Gửi phê duyệt" in another tab is refused, and
 * the wait fails as Abandoned; RecordFailure ends the report ("Đã dừng khi biên tập") and frees
 * the period.
 */
async function abandonAtDesk(
  deps: ApprovalDeps,
  report: ReportRecord,
  input: { reportId: string; actor: string; comment?: string },
): Promise<ReportRecord> {
  const at = deps.now().toISOString();
  const token = report.deskToken!;
  const updated = await deps.repo.updateReportIf(input.reportId, { status: 'editing', deskToken: token }, { deskToken: '', updatedAt: at });
  if (!updated) throw new ConflictError('Báo cáo vừa được gửi phê duyệt hoặc dừng ở một nơi khác. Vui lòng tải lại trang.');
  await deps.repo.appendReportAudit(input.reportId, {
    at,
    actor: input.actor,
    action: 'report.abandon',
    detail: { comment: input.comment },
  });
  const reason = input.comment?.trim();
  await deps.workflow.fail(token, 'Abandoned', `Văn phòng dừng báo cáo khi biên tập${reason ? `: “${reason}”` : '.'}`);
  return updated;
}

/** The compiler's answer to a returned report: recompile (draft v+1, chain from step 1) or abandon. */
export async function reviseReport(
  deps: ApprovalDeps,
  input: { reportId: string; action: 'recompile' | 'abandon'; actor: string; comment?: string },
): Promise<ReportRecord> {
  const report = await deps.repo.getReport(input.reportId);
  if (!report) throw new NotFoundError(`Không tìm thấy báo cáo ${input.reportId}.`);
  if (input.action === 'abandon' && report.status === 'editing' && report.deskToken) return abandonAtDesk(deps, report, input);
  if (report.status !== 'returned' || !report.revisionToken) {
    throw new ConflictError('Báo cáo không ở trạng thái bị trả lại; không thể tổng hợp lại hoặc dừng.');
  }
  if (input.action === 'recompile' && report.drafts.length >= MAX_DRAFTS) {
    throw new ConflictError(`Báo cáo đã có ${MAX_DRAFTS} dự thảo; hãy dừng báo cáo này và tạo báo cáo mới.`);
  }
  const at = deps.now().toISOString();
  const token = report.revisionToken;
  // Recompile and abandon (from two tabs, two people) exclude each other: only the action that
  // still finds this revision token takes the report; the other is told, and audits nothing.
  const updated = await deps.repo.updateReportIf(
    input.reportId,
    { status: 'returned', revisionToken: token },
    { status: input.action === 'recompile' ? 'compiling' : 'returned', revisionToken: '', updatedAt: at },
  );
  if (!updated) throw new ConflictError(RACE_LOST);
  await deps.repo.appendReportAudit(input.reportId, {
    at,
    actor: input.actor,
    action: `report.${input.action}`,
    detail: { comment: input.comment },
  });
  if (input.action === 'recompile') await deps.workflow.succeed(token, { action: 'recompile', by: input.actor });
  else {
    const last = [...report.decisions].reverse().find((d) => d.decision === 'return');
    await deps.workflow.fail(token, 'Rejected', input.comment?.trim() || last?.comment || 'Báo cáo đã dừng sau khi bị trả lại.');
  }
  return updated;
}
