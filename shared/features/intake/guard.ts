import { parsePeriod } from '../../domain/periods';
import { vnDateTime } from '../../format/vietnam-time';
import type { Clock } from '../../ports';
import type { LockState } from './lock';
import type { IntakeStore, Invite } from './ports';

/**
 * Validity of an invite for an upload received now (ingest side): same checks as opening the
 * page, plus the division and quarter the upload key names.
 */
export async function inviteAllowsUpload(
  deps: { intake: IntakeStore; now: Clock },
  linkHash: string,
  periodId: string,
  divisionId: string,
): Promise<{ ok: true; invite: Invite } | { ok: false; message: string }> {
  const invite = await deps.intake.getInvite(linkHash);
  if (!invite || invite.periodId !== periodId || invite.divisionId !== divisionId) {
    return { ok: false, message: 'Tệp không được gửi qua một liên kết nộp báo cáo hợp lệ của đơn vị cho kỳ này.' };
  }
  if (invite.revoked) return { ok: false, message: 'Liên kết nộp báo cáo đã bị thu hồi; hãy dùng liên kết mới nhất trong thư điện tử.' };
  if (Date.parse(invite.expiresAt) <= deps.now().getTime()) return { ok: false, message: 'Liên kết nộp báo cáo đã hết hạn.' };
  return { ok: true, invite };
}

export function lockedMessage(periodId: string, lock: LockState): string {
  return `Kỳ ${parsePeriod(periodId).label} đã khóa sổ lúc ${vnDateTime(lock.deadlineEnd)} (hết hạn nộp). Số liệu không được nhận thêm; nếu cần bổ sung, đề nghị liên hệ Văn phòng Sở để được mở lại.`;
}
