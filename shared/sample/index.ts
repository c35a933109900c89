import type { TimedSubmission } from '../domain/aggregate';
import type { Submission } from '../domain/submission';
import khtc1 from './submissions/2021-Q1/KHTC.json' with { type: 'json' };
import ktnl1 from './submissions/2021-Q1/KTNL.json' with { type: 'json' };
import qlcn1 from './submissions/2021-Q1/QLCN.json' with { type: 'json' };
import qltm1 from './submissions/2021-Q1/QLTM.json' with { type: 'json' };
import ttkc1 from './submissions/2021-Q1/TTKC.json' with { type: 'json' };
import ttra1 from './submissions/2021-Q1/TTRA.json' with { type: 'json' };
import ttxt1 from './submissions/2021-Q1/TTXT.json' with { type: 'json' };
import vp1 from './submissions/2021-Q1/VP.json' with { type: 'json' };
import khtc2 from './submissions/2021-Q2/KHTC.json' with { type: 'json' };
import ktnl2 from './submissions/2021-Q2/KTNL.json' with { type: 'json' };
import qlcn2 from './submissions/2021-Q2/QLCN.json' with { type: 'json' };
import qltm2 from './submissions/2021-Q2/QLTM.json' with { type: 'json' };
import ttkc2 from './submissions/2021-Q2/TTKC.json' with { type: 'json' };
import ttra2 from './submissions/2021-Q2/TTRA.json' with { type: 'json' };
import ttxt2 from './submissions/2021-Q2/TTXT.json' with { type: 'json' };
import vp2 from './submissions/2021-Q2/VP.json' with { type: 'json' };
import khtc3 from './submissions/2021-Q3/KHTC.json' with { type: 'json' };
import ktnl3 from './submissions/2021-Q3/KTNL.json' with { type: 'json' };
import qlcn3 from './submissions/2021-Q3/QLCN.json' with { type: 'json' };
import qltm3 from './submissions/2021-Q3/QLTM.json' with { type: 'json' };
import ttkc3 from './submissions/2021-Q3/TTKC.json' with { type: 'json' };
import ttra3 from './submissions/2021-Q3/TTRA.json' with { type: 'json' };
import ttxt3 from './submissions/2021-Q3/TTXT.json' with { type: 'json' };
import vp3 from './submissions/2021-Q3/VP.json' with { type: 'json' };
import khtc4 from './submissions/2021-Q4/KHTC.json' with { type: 'json' };
import ktnl4 from './submissions/2021-Q4/KTNL.json' with { type: 'json' };
import qlcn4 from './submissions/2021-Q4/QLCN.json' with { type: 'json' };
import qltm4 from './submissions/2021-Q4/QLTM.json' with { type: 'json' };
import ttkc4 from './submissions/2021-Q4/TTKC.json' with { type: 'json' };
import ttra4 from './submissions/2021-Q4/TTRA.json' with { type: 'json' };
import ttxt4 from './submissions/2021-Q4/TTXT.json' with { type: 'json' };
import vp4 from './submissions/2021-Q4/VP.json' with { type: 'json' };

/**
 * Sample submissions of the 8 divisions for 2021-Q1..Q4 (see README.md). Their 2021 aggregate
 * reproduces the figures of the seed report (test/fixtures/domain/seed-2021.txt).
 */
export const sampleSubmissions: Submission[] = [
  vp1,
  ttra1,
  khtc1,
  qlcn1,
  ktnl1,
  qltm1,
  ttkc1,
  ttxt1,
  vp2,
  ttra2,
  khtc2,
  qlcn2,
  ktnl2,
  qltm2,
  ttkc2,
  ttxt2,
  vp3,
  ttra3,
  khtc3,
  qlcn3,
  ktnl3,
  qltm3,
  ttkc3,
  ttxt3,
  vp4,
  ttra4,
  khtc4,
  qlcn4,
  ktnl4,
  qltm4,
  ttkc4,
  ttxt4,
] as Submission[];

/** Receipt time of a sample: a few days before the quarter's deadline (the 20th), one division a day. */
export function sampleSubmittedAt(s: Pick<Submission, 'division' | 'period'>): string {
  const year = Number(s.period.slice(0, 4));
  const month = Number(s.period.slice(-1)) * 3;
  // TTXT sent its 2021-Q3 figures two days after the deadline (shows up as late in completeness).
  if (s.division === 'TTXT' && s.period === '2021-Q3') return '2021-09-22T08:30:00+07:00';
  const day = 10 + SAMPLE_DIVISIONS.indexOf(s.division);
  return `${year}-${String(month).padStart(2, '0')}-${day}T09:00:00+07:00`;
}

const SAMPLE_DIVISIONS = ['VP', 'TTRA', 'KHTC', 'QLCN', 'KTNL', 'QLTM', 'TTKC', 'TTXT'];

/** The samples with their receipt times, as aggregate() takes them. */
export function timedSampleSubmissions(): TimedSubmission[] {
  return sampleSubmissions.map((submission) => ({ submission, submittedAt: sampleSubmittedAt(submission) }));
}

/**
 * The sample department's report facts (template.reportFacts of cchc) for its 2021 report, as its
 * compiler types them when starting the compile: this year's provincial plan and guidance letter.
 */
export const SAMPLE_REPORT_FACTS: Record<string, Record<string, string>> = {
  '2021': {
    canCu:
      'Thực hiện Kế hoạch số 15965/KH-UBND ngày 29/12/2020 của Chủ tịch UBND tỉnh về cải cách hành chính tỉnh Đồng Nai năm 2021; Công văn số 1890/SNV-TT ngày 11/5/2021 của Sở Nội vụ hướng dẫn báo cáo định kỳ kết quả cải cách hành chính',
    ghiChuSoLieuDichVuCong: '(*số liệu tính từ 15/12/2020 đến ngày 11/11/2021*)',
    ghiChuSoLieuVanBan: '(*số liệu tính đến ngày 31/10/2021*)',
    vanBanThayDoiTthc: 'Quyết định số 545/QĐ-UBND ngày 09/02/2021 của UBND tỉnh',
    keHoachNghiQuyet19: 'Kế hoạch 177-KH/TU ngày 16/4/2018 của Ban chấp hành Đảng bộ tỉnh về',
  },
};

/** The facts for a sample period: the year's own, or the 2021 ones (the plan numbers of that year). */
export function sampleReportFacts(periodId: string): Record<string, string> {
  return SAMPLE_REPORT_FACTS[periodId.slice(0, 4)] ?? SAMPLE_REPORT_FACTS['2021'];
}
