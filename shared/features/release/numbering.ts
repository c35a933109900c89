import type { Organization } from '../../config/schema';
import { newLinkSecret, sha256 } from '../../crypto';
import { reportSubject } from '../../domain/report-subject';
import { ConflictError, NotFoundError, ValidationError } from '../../errors';
import { formatDocumentNumber } from '../../format/vi';
import { fromVietnamWallClock, vietnamYear } from '../../format/vietnam-time';
import { publicUrl } from '../../http/url';
import type { ReportNumbering, ReportRecord } from '../../ports';
import { TransientError } from '../../transient-errors';
import { clerkNumberEmail } from './emails';
import type { ClerkLink, RegisterStore, ReleaseDeps } from './ports';

/** Bounded: each lost race means another release took the number; this many at once is not a register's life. */
const MAX_CLAIM_TRIES = 50;
/** How long the clerk's link works (the state machine's wait ends at the same time). */
export const CLERK_LINK_DAYS = 7;

/** The first number the system may give in `year`: 1, or where the organization's own register had got to. */
export function firstNumber(org: Organization, year: number): number {
  const next = org.numbering.nextNumber;
  return next && next.year === year ? next.number : 1;
}

/** The number the register would give next: after the highest entry and never below the configured start. */
export async function nextFreeNumber(register: RegisterStore, org: Organization, year: number): Promise<number> {
  return Math.max((await register.highestNumber(org.id, year)) + 1, firstNumber(org, year));
}

/**
 * Reserves the report's number in the register, once: a retry finds the reservation on the
 * report, or the register entry an interrupted try made, and reuses it. The entry is claimed by
 * a conditional put, so two releases never share a number and a failure never skips one.
 */
export async function reserveNumber(deps: Pick<ReleaseDeps, 'register' | 'organization' | 'now'>, report: ReportRecord) {
  if (report.numbering) return report.numbering;
  const org = deps.organization;
  const at = deps.now().toISOString();
  const year = vietnamYear(at); // numbering restarts every 1 January, Vietnam time
  const earlier = await deps.register.findByReport(org.id, year, report.reportId);
  if (earlier) return deps.register.reserveOnReport(report.reportId, toNumbering(earlier));
  let number = await nextFreeNumber(deps.register, org, year);
  for (let i = 0; ; i++) {
    const entry = { orgId: org.id, year, number, reportId: report.reportId, issuedAt: at, recordedAt: at, by: 'system' };
    if (await deps.register.claimNumber(entry)) return deps.register.reserveOnReport(report.reportId, toNumbering(entry));
    if (i + 1 >= MAX_CLAIM_TRIES) throw new TransientError('Sổ đăng ký văn bản đang được ghi đồng thời; sẽ thử lại.');
    number += 1;
  }
}

const toNumbering = (e: { year: number; number: number; issuedAt: string; recordedAt: string; by: string }): ReportNumbering => ({
  year: e.year,
  number: e.number,
  issuedAt: e.issuedAt,
  recordedAt: e.recordedAt,
  by: e.by,
});

/**
 * AwaitNumber task (waitForTaskToken, clerk mode): mails the clerk of records a single-use link to
 * enter the number and issue date. A retried invocation mails a fresh link; the state machine's
 * wait takes the token of the link that is used.
 */
export async function requestNumber(deps: ReleaseDeps, input: { taskToken: string; reportId: string; periodId: string }) {
  const clerk = deps.organization.recordsClerk;
  if (!clerk) throw new ValidationError('Chưa khai báo văn thư (recordsClerk) để cấp số văn bản.');
  const now = deps.now();
  const { secret, hash } = newLinkSecret();
  const link: ClerkLink = {
    linkHash: hash,
    reportId: input.reportId,
    periodId: input.periodId,
    taskToken: input.taskToken,
    clerkEmail: clerk.email,
    createdAt: now.toISOString(),
    expiresAt: new Date(now.getTime() + CLERK_LINK_DAYS * 86400_000).toISOString(),
    status: 'pending',
  };
  await deps.register.putClerkLink(link);
  const year = vietnamYear(now);
  const suggested = await nextFreeNumber(deps.register, deps.organization, year);
  const sent = await deps.mailer.send(
    clerkNumberEmail({
      to: [clerk.email],
      clerkName: clerk.name,
      subject: reportSubject(deps.template, input.periodId),
      suggested: formatDocumentNumber(suggested, deps.organization.documentCode),
      url: publicUrl(deps.baseUrl, `register/${secret}`),
      expiresAt: link.expiresAt,
    }),
  );
  await deps.repo.appendReportAudit(input.reportId, {
    at: link.createdAt,
    actor: 'system',
    action: 'email.number-request',
    detail: { to: clerk.email, messageId: sent.messageId },
  });
  return { sent: 1 };
}

/** What the clerk's page shows: the link's report and the next free number of the year. */
export async function inspectClerkLink(deps: ReleaseDeps, secret: string) {
  const link = await deps.register.getClerkLink(sha256(secret));
  // A signing link (same store) never enters a number.
  if (!link || (link.purpose ?? 'number') !== 'number') return { problem: 'unknown' as const };
  if (link.status !== 'pending') return { problem: 'used' as const };
  if (new Date(link.expiresAt) <= deps.now()) return { problem: 'expired' as const };
  const year = vietnamYear(deps.now());
  return { link, year, suggested: await nextFreeNumber(deps.register, deps.organization, year) };
}

/** Parses "dd/mm/yyyy" or "yyyy-mm-dd" as a day in Vietnam. */
export function parseIssueDate(text: string): Date | undefined {
  const m = /^(\d{1,2})\/(\d{1,2})\/(\d{4})$/.exec(text.trim()) ?? /^(\d{4})-(\d{2})-(\d{2})$/.exec(text.trim());
  if (!m) return undefined;
  const [y, mo, d] = m[1].length === 4 ? [m[1], m[2], m[3]].map(Number) : [m[3], m[2], m[1]].map(Number);
  const wall = new Date(Date.UTC(y, mo - 1, d, 8, 0, 0)); // 08:00 in Vietnam: inside the day whatever the reader's zone
  if (wall.getUTCFullYear() !== y || wall.getUTCMonth() !== mo - 1 || wall.getUTCDate() !== d) return undefined;
  return fromVietnamWallClock(wall);
}

/** The clerk's answer was refused: says why and which number is free next. */
export class NumberTakenError extends ConflictError {
  override name = 'NumberTakenError';
  constructor(
    message: string,
    readonly suggested: number,
  ) {
    super(message);
  }
}

/**
 * The clerk enters the number and issue date. The number must be free in the year's register
 * (claimed by a conditional put); the reservation goes on the report and the wait is released.
 * A repeated post after a failure finds the report's own entry and completes the rest.
 */
export async function enterNumber(deps: ReleaseDeps, input: { secret: string; number: string; issueDate: string }) {
  const found = await inspectClerkLink(deps, input.secret);
  if (!found.link) throw new NotFoundError('Liên kết cấp số không còn hiệu lực.');
  const { link } = found;
  const number = Number(input.number.trim());
  if (!Number.isInteger(number) || number < 1 || number > 999_999) {
    throw new ValidationError('Số văn bản: nhập một số nguyên dương, ví dụ 2015.');
  }
  const issued = parseIssueDate(input.issueDate);
  if (!issued) throw new ValidationError('Ngày ban hành: nhập theo dạng ngày/tháng/năm, ví dụ 05/01/2022.');
  const now = deps.now();
  if (issued.getTime() > now.getTime() + 86400_000) throw new ValidationError('Ngày ban hành không được sau hôm nay.');
  const year = vietnamYear(issued);
  const report = await deps.repo.getReport(link.reportId);
  if (!report) throw new NotFoundError(`Không tìm thấy báo cáo ${link.reportId}.`);
  let numbering = report.numbering;
  if (!numbering) {
    const org = deps.organization;
    const entry = {
      orgId: org.id,
      year,
      number,
      reportId: link.reportId,
      issuedAt: issued.toISOString(),
      recordedAt: now.toISOString(),
      by: link.clerkEmail,
    };
    if (!(await deps.register.claimNumber(entry))) {
      const holder = await deps.register.getEntry(org.id, year, number);
      if (holder?.reportId !== link.reportId) {
        const suggested = await nextFreeNumber(deps.register, org, year);
        throw new NumberTakenError(
          `Số ${formatDocumentNumber(number, org.documentCode).replace(/^Số: /, '')} năm ${year} đã được cấp. Số trống tiếp theo: ${suggested}.`,
          suggested,
        );
      }
    }
    numbering = await deps.register.reserveOnReport(link.reportId, toNumbering(entry));
  }
  await deps.workflow.succeed(link.taskToken, { number: numbering.number, year: numbering.year });
  await deps.register.consumeClerkLink(link.linkHash);
  await deps.repo.appendReportAudit(link.reportId, {
    at: now.toISOString(),
    actor: link.clerkEmail,
    action: 'register.number-entered',
    detail: { number: numbering.number, year: numbering.year, issuedAt: numbering.issuedAt },
  });
  return numbering;
}
