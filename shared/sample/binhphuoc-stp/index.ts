import { join } from 'node:path';
import { parseOrganization } from '../../config/schema';
import type { TimedSubmission } from '../../domain/aggregate';
import { type Submission, validateSubmission } from '../../domain/submission';
import { getTemplate } from '../../templates';
import hctp1 from './kstt/2021-Q1/HCTP.json' with { type: 'json' };
import tgpl1 from './kstt/2021-Q1/TGPL.json' with { type: 'json' };
import vp1 from './kstt/2021-Q1/VP.json' with { type: 'json' };
import hctp2 from './kstt/2021-Q2/HCTP.json' with { type: 'json' };
import tgpl2 from './kstt/2021-Q2/TGPL.json' with { type: 'json' };
import vp2 from './kstt/2021-Q2/VP.json' with { type: 'json' };
import organizationDocument from './organization.json' with { type: 'json' };

/**
 * The second sample department, Sở Tư pháp tỉnh Bình Phước (organization.json: 5 divisions, a
 * 2-step chain, the director signing directly, report types cchc and kstt). Its quarterly report on
 * the control of administrative procedures (`kstt`, form 06/VPCP/KSTT) for 2021-Q1 and 2021-Q2 comes
 * from the divisions that answer it: VP (procedures published, feedback) and HCTP and TGPL (the rows
 * of form 06 for their fields; the indicators are filled from the rows' totals). Q2's "kỳ trước
 * chuyển qua" is Q1's "đang giải quyết", row by row.
 */
export const SECOND_ORG_ID = 'binhphuoc-stp';
export const SECOND_REPORT_TYPE = 'kstt';
export const SECOND_SAMPLE_DIR = join(import.meta.dirname, 'kstt');
export { organizationDocument as secondOrganizationDocument };
export const secondOrganization = parseOrganization(organizationDocument);

/** The files as the divisions send them (before validation fills indicators from the tables). */
export const secondSampleFiles: unknown[] = [vp1, hctp1, tgpl1, vp2, hctp2, tgpl2];

/** Received a few days before each quarter's deadline (the 20th), one division a day. */
function receivedAt(s: { division: string; period: string }): string {
  const month = String(Number(s.period.slice(-1)) * 3).padStart(2, '0');
  const day = 12 + ['VP', 'HCTP', 'TGPL'].indexOf(s.division);
  return `${s.period.slice(0, 4)}-${month}-${day}T09:00:00+07:00`;
}

/** The samples as ingest stores them (validated), with their receipt times, as aggregate() takes them. */
export function secondSampleTimed(): TimedSubmission[] {
  const template = getTemplate(SECOND_REPORT_TYPE, secondOrganization);
  return secondSampleFiles.map((file) => {
    const { division, period } = file as { division: string; period: string };
    const result = validateSubmission(template, file, {
      organization: secondOrganization,
      expectedDivision: division,
      expectedPeriod: period,
    });
    if (!result.submission) throw new Error(`Mẫu ${period}/${division} không hợp lệ: ${result.errors.map((e) => e.message).join('; ')}`);
    return { submission: result.submission as Submission, submittedAt: receivedAt(result.submission) };
  });
}

/** The compiler's report facts for a kstt report of this department. */
export function secondReportFacts(periodId: string): Record<string, string> {
  return {
    canCu: `Thực hiện Thông tư số 01/2020/TT-VPCP ngày 21/10/2020 của Văn phòng Chính phủ quy định chế độ báo cáo định kỳ và quản lý, sử dụng Hệ thống thông tin báo cáo của Văn phòng Chính phủ; Công văn số ${periodId.endsWith('Q1') ? '512' : '1377'}/VP-KSTT của Văn phòng UBND tỉnh về báo cáo kiểm soát thủ tục hành chính`,
  };
}
