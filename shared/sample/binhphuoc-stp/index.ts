import { join } from 'node:path';
import type { TimedSubmission } from '../../domain/aggregate';
import type { Submission } from '../../domain/submission';
import hctp1 from './kstt/2021-Q1/HCTP.json' with { type: 'json' };
import tgpl1 from './kstt/2021-Q1/TGPL.json' with { type: 'json' };
import vp1 from './kstt/2021-Q1/VP.json' with { type: 'json' };
import hctp2 from './kstt/2021-Q2/HCTP.json' with { type: 'json' };
import tgpl2 from './kstt/2021-Q2/TGPL.json' with { type: 'json' };
import vp2 from './kstt/2021-Q2/VP.json' with { type: 'json' };

/**
 * The second sample department (Sở Tư pháp tỉnh Bình Phước, test/fixtures/organizations/so-tu-phap.json):
 * its quarterly report on the control of administrative procedures (`kstt`, form 06/VPCP/KSTT) for
 * 2021-Q1 and 2021-Q2, from the divisions that answer it (VP: the procedures published and the
 * feedback; HCTP and TGPL: the rows of form 06 for their fields). Q2's "kỳ trước chuyển qua" is
 * Q1's "đang giải quyết", row by row.
 */
export const SECOND_ORG_ID = 'binhphuoc-stp';
export const SECOND_REPORT_TYPE = 'kstt';
export const SECOND_SAMPLE_DIR = join(import.meta.dirname, 'kstt');

export const secondSampleSubmissions: Submission[] = [vp1, hctp1, tgpl1, vp2, hctp2, tgpl2] as Submission[];

/** Received a few days before each quarter's deadline (the 20th), one division a day. */
export function secondSampleTimed(): TimedSubmission[] {
  const order = ['VP', 'HCTP', 'TGPL'];
  return secondSampleSubmissions.map((submission) => {
    const month = String(Number(submission.period.slice(-1)) * 3).padStart(2, '0');
    const day = 12 + order.indexOf(submission.division);
    return { submission, submittedAt: `${submission.period.slice(0, 4)}-${month}-${day}T09:00:00+07:00` };
  });
}

/** The compiler's report facts for a kstt report of this department. */
export function secondReportFacts(periodId: string): Record<string, string> {
  return {
    canCu: `Thực hiện Thông tư số 01/2020/TT-VPCP ngày 21/10/2020 của Văn phòng Chính phủ quy định chế độ báo cáo định kỳ và quản lý, sử dụng Hệ thống thông tin báo cáo của Văn phòng Chính phủ; Công văn số ${periodId.endsWith('Q1') ? '512' : '1377'}/VP-KSTT của Văn phòng UBND tỉnh về báo cáo kiểm soát thủ tục hành chính`,
  };
}
