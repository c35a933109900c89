import type { Division, Organization } from '../../config/schema';
import { newLinkSecret, sha256 } from '../../crypto';
import { deadlineEndMs, isQuarter, previousQuarter, quarterDeadline } from '../../domain/periods';
import type { Submission } from '../../domain/submission';
import type { ReportTemplate } from '../../domain/template';
import { AppError } from '../../errors';
import { periodNameInText } from '../../format/period-name';
import { vietnamYear, vnDateTime } from '../../format/vietnam-time';
import type { AuditLog, BlobStore, Clock, Mailer, SubmissionStore } from '../../ports';
import { type CompletenessReport, completeness, MISSING } from './completeness';
import { inviteEmail } from './emails';
import { lockedMessage } from './guard';
import { MAX_UPLOAD_BYTES } from './limits';
import { type LockState, lockState } from './lock';
import { DEFAULT_INTAKE_OPTIONS, type IntakeOptions, type IntakeStore, type Invite, type InviteReason } from './ports';
import { CONTENT_TYPES, newIntakeUploadKey, type UploadKind } from './upload-keys';

export interface IntakeDeps {
  repo: SubmissionStore & AuditLog;
  blobs: BlobStore;
  mailer: Mailer;
  intake: IntakeStore;
  organization: Organization;
  template: ReportTemplate;
  now: Clock;
  /** Public base of the links in emails. */
  baseUrl: string;
  /** Grace days and reminder lead; the defaults when absent. */
  intakeOptions?: IntakeOptions;
}

/** A refusal the caller shows as is (Vietnamese), with the HTTP status to answer. */
export class IntakeError extends AppError {
  override name = 'IntakeError';
}

const DAY_MS = 86_400_000;
const opts = (deps: Pick<IntakeDeps, 'intakeOptions'>) => deps.intakeOptions ?? DEFAULT_INTAKE_OPTIONS;

function requireQuarter(periodId: string): string {
  if (!isQuarter(periodId)) throw new IntakeError(`Kỳ "${periodId}" không phải một quý; dùng dạng 2021-Q1.`);
  return periodId;
}

function requireDivision(organization: Organization, divisionId: string): Division {
  const d = organization.divisions.find((x) => x.id === divisionId);
  if (!d) throw new IntakeError(`Đơn vị "${divisionId}" không có trong danh sách đơn vị.`);
  return d;
}

/** Default expiry of a quarter's invites: the end of its deadline day plus the grace. */
export function inviteExpiry(periodId: string, options: IntakeOptions = DEFAULT_INTAKE_OPTIONS): string {
  return new Date(deadlineEndMs(quarterDeadline(periodId)) + options.graceDays * DAY_MS).toISOString();
}

const inviteUrl = (baseUrl: string, secret: string) => `${baseUrl.replace(/\/+$/, '')}/nop/${secret}`;

/** Creates one invite (256-bit secret, only its hash stored) and mails it to the division's contacts. */
export async function issueInvite(
  deps: IntakeDeps,
  p: { periodId: string; divisionId: string; reason: InviteReason; issuedBy: string; expiresAt?: string },
): Promise<{ secret: string; url: string; invite: Invite }> {
  const division = requireDivision(deps.organization, p.divisionId);
  const now = deps.now();
  const { secret, hash } = newLinkSecret();
  const invite: Invite = {
    linkHash: hash,
    divisionId: division.id,
    periodId: requireQuarter(p.periodId),
    reason: p.reason,
    createdAt: now.toISOString(),
    expiresAt: p.expiresAt ?? inviteExpiry(p.periodId, opts(deps)),
    issuedBy: p.issuedBy,
    sentTo: division.contacts.map((c) => c.email),
    revoked: false,
  };
  await deps.intake.putInvite(invite);
  const url = inviteUrl(deps.baseUrl, secret);
  await deps.mailer.send(
    inviteEmail({
      to: invite.sentTo,
      contactNames: division.contacts.map((c) => c.name),
      divisionName: division.name,
      agencyName: deps.organization.agencyName,
      periodLabel: periodNameInText(invite.periodId),
      deadline: vnDateTime(lockState(invite.periodId, now).deadlineEnd),
      expiresAt: vnDateTime(invite.expiresAt),
      url,
      reason: p.reason,
    }),
  );
  await deps.repo.appendPeriodAudit(invite.periodId, {
    at: invite.createdAt,
    actor: p.issuedBy,
    action: `intake.invite_${p.reason}`,
    detail: { division: division.id, linkHash: hash.slice(0, 12), expiresAt: invite.expiresAt, sentTo: invite.sentTo },
  });
  return { secret, url, invite };
}

/** Opens a quarter: every division's contacts get an invite link. */
/** `only`: mail just these divisions (a second "Mở kỳ" skips those already invited unless the compiler confirms). */
export async function openPeriod(deps: IntakeDeps, periodId: string, issuedBy: string, only?: string[]) {
  requireQuarter(periodId);
  const expiresAt = inviteExpiry(periodId, opts(deps));
  if (Date.parse(expiresAt) <= deps.now().getTime()) {
    throw new IntakeError(
      `Kỳ ${periodNameInText(periodId)} đã hết hạn nộp (${vnDateTime(lockState(periodId, deps.now()).deadlineEnd)}); muốn nhận thêm số liệu, hãy mở lại kỳ cho từng đơn vị.`,
      409,
    );
  }
  const sent = [];
  for (const d of deps.organization.divisions) {
    if (only && !only.includes(d.id)) continue;
    const { invite } = await issueInvite(deps, { periodId, divisionId: d.id, reason: 'open', issuedBy, expiresAt });
    sent.push({ divisionId: d.id, sentTo: invite.sentTo, expiresAt: invite.expiresAt });
  }
  return { periodId, sent };
}

/**
 * Reopens a locked quarter for one division: earlier links are revoked and a fresh one, valid
 * for the grace period from now (or from the deadline if that is later), is mailed.
 */
export async function reopenDivision(deps: IntakeDeps, periodId: string, divisionId: string, by: string) {
  requireQuarter(periodId);
  requireDivision(deps.organization, divisionId);
  const now = deps.now();
  const at = now.toISOString();
  const from = Math.max(now.getTime(), deadlineEndMs(quarterDeadline(periodId)));
  const until = new Date(from + opts(deps).graceDays * DAY_MS).toISOString();
  for (const inv of await deps.intake.listInvites(periodId)) {
    if (inv.divisionId === divisionId && !inv.revoked) await deps.intake.revokeInvite(inv.linkHash, at);
  }
  await deps.intake.markReopened(periodId, divisionId, { at, by, until });
  const { invite } = await issueInvite(deps, { periodId, divisionId, reason: 'reopen', issuedBy: by, expiresAt: until });
  await deps.repo.appendPeriodAudit(periodId, { at, actor: by, action: 'intake.reopened', detail: { division: divisionId, until } });
  return { periodId, divisionId, reopenedUntil: until, sentTo: invite.sentTo };
}

export async function completenessOf(
  deps: Pick<IntakeDeps, 'repo' | 'intake' | 'organization' | 'now'>,
  periodId: string,
): Promise<CompletenessReport> {
  requireQuarter(periodId);
  const [submissions, states, invites] = await Promise.all([
    deps.repo.currentSubmissions([periodId]),
    deps.intake.listStates(periodId),
    deps.intake.listInvites(periodId),
  ]);
  return completeness({ organization: deps.organization, periodId, submissions, states, invites, now: deps.now() });
}

/**
 * Mails a fresh invite to every division still missing (not started, refused, reopened).
 * Only link hashes are stored, so an earlier link cannot be re-sent: each reminder carries a new
 * one (earlier links stay valid until they expire). Divisions the quarter is locked for are skipped.
 */
export async function sendReminders(deps: IntakeDeps, periodId: string, by: string) {
  const report = await completenessOf(deps, periodId);
  const now = deps.now();
  const reminded: Array<{ divisionId: string; sentTo: string[] }> = [];
  const skipped: Array<{ divisionId: string; reason: string }> = [];
  for (const d of report.divisions) {
    if (!MISSING.includes(d.status)) continue;
    const state = await deps.intake.getState(periodId, d.divisionId);
    const lock = lockState(periodId, now, state);
    if (lock.locked) {
      skipped.push({ divisionId: d.divisionId, reason: 'Kỳ đã khóa; cần mở lại trước khi nhắc.' });
      continue;
    }
    const expiresAt = lock.reopenedUntil ?? inviteExpiry(periodId, opts(deps));
    const { invite } = await issueInvite(deps, { periodId, divisionId: d.divisionId, reason: 'remind', issuedBy: by, expiresAt });
    await deps.intake.recordReminder(periodId, d.divisionId, now.toISOString());
    reminded.push({ divisionId: d.divisionId, sentTo: invite.sentTo });
  }
  return { periodId, reminded, skipped };
}

export type InviteProblem = 'unknown' | 'expired' | 'revoked';

export type InviteCheck = { ok: true; invite: Invite; division: Division; lock: LockState } | { ok: false; problem: InviteProblem };

const SECRET_RE = /^[A-Za-z0-9_-]{43}$/;

/** Resolves a link secret. Unknown and tampered links look the same: no hash matches. */
export async function inspectInvite(deps: Pick<IntakeDeps, 'intake' | 'organization' | 'now'>, secret: string): Promise<InviteCheck> {
  if (!SECRET_RE.test(secret)) return { ok: false, problem: 'unknown' };
  const invite = await deps.intake.getInvite(sha256(secret));
  const division = invite && deps.organization.divisions.find((d) => d.id === invite.divisionId);
  if (!invite || !division) return { ok: false, problem: 'unknown' };
  if (invite.revoked) return { ok: false, problem: 'revoked' };
  const now = deps.now();
  if (Date.parse(invite.expiresAt) <= now.getTime()) return { ok: false, problem: 'expired' };
  const state = await deps.intake.getState(invite.periodId, invite.divisionId);
  return { ok: true, invite, division, lock: lockState(invite.periodId, now, state) };
}

/** Presigned POST for an upload through an invite: key under the division's own prefix, named after the invite. */
export async function presignForInvite(deps: IntakeDeps, secret: string, kind: UploadKind) {
  const check = await inspectInvite(deps, secret);
  if (!check.ok) throw inviteProblem(check.problem);
  if (check.lock.locked) throw new IntakeError(lockedMessage(check.invite.periodId, check.lock), 423);
  const key = newIntakeUploadKey(check.invite.periodId, check.invite.divisionId, deps.now(), kind, check.invite.linkHash);
  const post = await deps.blobs.presignPost(key, { maxBytes: MAX_UPLOAD_BYTES, contentType: CONTENT_TYPES[kind], expiresInSeconds: 900 });
  return { key, ...post };
}

const INVITE_PROBLEM_TITLE = 'Không mở được biểu mẫu nộp số liệu';

/** An unknown, tampered, expired or revoked link: says so (404 or 410) and changes nothing. */
export function inviteProblem(problem: InviteProblem): IntakeError {
  return new IntakeError(PROBLEM_MESSAGE[problem], problem === 'unknown' ? 404 : 410, INVITE_PROBLEM_TITLE);
}

const PROBLEM_MESSAGE: Record<InviteProblem, string> = {
  unknown:
    'Liên kết nộp báo cáo không hợp lệ. Đồng chí vui lòng dùng đúng liên kết trong thư điện tử, không sửa hay cắt bớt. Không có thay đổi nào.',
  expired:
    'Liên kết nộp báo cáo đã hết hạn. Không có thay đổi nào. Nếu đơn vị cần nộp hoặc bổ sung số liệu, đề nghị liên hệ Văn phòng Sở để được cấp liên kết mới.',
  revoked:
    'Liên kết nộp báo cáo này đã được thay bằng liên kết mới (kỳ báo cáo đã được mở lại). Không có thay đổi nào. Đồng chí vui lòng dùng liên kết trong thư gần nhất.',
};

/** Prefill: the division's current submission of this quarter, else of the previous quarter. */
export async function prefillFor(
  deps: Pick<IntakeDeps, 'repo'>,
  periodId: string,
  divisionId: string,
): Promise<{ from?: string; submission?: Submission }> {
  for (const q of [periodId, previousQuarter(periodId)]) {
    const subs = await deps.repo.currentSubmissions([q]);
    const mine = subs.find((s) => s.divisionId === divisionId);
    if (mine) return { from: q, submission: mine.submission };
  }
  return {};
}

/** The quarter whose deadline comes next (or is today), in Vietnam time: what reminders are about. */
export function quarterDue(now: Date): string {
  const y = vietnamYear(now);
  for (const id of [`${y}-Q1`, `${y}-Q2`, `${y}-Q3`, `${y}-Q4`, `${y + 1}-Q1`]) {
    if (deadlineEndMs(quarterDeadline(id)) >= now.getTime()) return id;
  }
  return `${y + 1}-Q1`;
}
