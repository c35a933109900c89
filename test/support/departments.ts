/**
 * The two sample departments, as the parametrized suites run them (describe.each): Sở Công Thương
 * Đồng Nai with its annual CCHC report (the seed) and Sở Tư pháp Bình Phước with its quarterly
 * report on the control of administrative procedures (kstt, form 06/VPCP/KSTT).
 */
import { join } from 'node:path';
import rawOrganization from '../../shared/config/organization.json' with { type: 'json' };
import { type Organization, parseOrganization } from '../../shared/config/schema';
import type { RenderInput } from '../../shared/document/input';
import type { TimedSubmission } from '../../shared/domain/aggregate';
import { aggregate } from '../../shared/domain/aggregate';
import { parsePeriod } from '../../shared/domain/periods';
import type { ReportTemplate } from '../../shared/domain/template';
import { SAMPLE_REPORT_FACTS, sampleSubmissions, timedSampleSubmissions } from '../../shared/sample';
import {
  SECOND_SAMPLE_DIR,
  secondOrganization,
  secondOrganizationDocument,
  secondReportFacts,
  secondSampleFiles,
  secondSampleTimed,
} from '../../shared/sample/binhphuoc-stp';
import { getTemplate } from '../../shared/templates';

export interface Department {
  /** As test titles show it. */
  name: string;
  organization: Organization;
  /** The organization document as stored (seeded into the embedded runtime). */
  document: unknown;
  reportType: string;
  template: ReportTemplate;
  /** The files the divisions send, as sent. */
  files: unknown[];
  /** The same, validated, with receipt times (what aggregate() reads from the store). */
  timed: () => TimedSubmission[];
  /** `<dir>/<quarter>/<DIVISION>.json`, uploaded by the demo flow. */
  sampleDir: string;
  /** The period the suites compile, and its quarters. */
  periodId: string;
  quarters: string[];
  reportFacts: Record<string, string>;
  expected: {
    indicators: Record<string, number>;
    ratios: Record<string, number | null>;
    /** Printed in the document, Vietnamese style. */
    figures: string[];
    subject: string;
    parentBody: string;
    agency: string;
    documentCode: string;
    place: string;
    signature: string[];
    archive: RegExp;
    /** Text of the other department that must never show up. */
    foreign: string[];
    /** Text of the wide (landscape) table's page. */
    wideTable: string;
  };
}

const sct = parseOrganization(rawOrganization);

export const DEPARTMENTS: Department[] = [
  {
    name: 'Sở Công Thương Đồng Nai, cchc 2021',
    organization: sct,
    document: rawOrganization,
    reportType: 'cchc',
    template: getTemplate('cchc', sct),
    files: sampleSubmissions,
    timed: timedSampleSubmissions,
    sampleDir: join(import.meta.dirname, '../../shared/sample/submissions'),
    periodId: '2021',
    quarters: ['2021-Q1', '2021-Q2', '2021-Q3', '2021-Q4'],
    reportFacts: SAMPLE_REPORT_FACTS['2021'],
    expected: {
      indicators: { hoSoTiepNhan: 16075, hoSoTrucTuyen: 15906, vanBanTong: 24547 },
      ratios: { tyLeTrucTuyen: 98.95 },
      figures: ['16.075', '15.906', '98,95%'],
      subject: 'Kết quả thực hiện công tác cải cách hành chính năm 2021',
      parentBody: 'UBND TỈNH ĐỒNG NAI',
      agency: 'SỞ CÔNG THƯƠNG',
      documentCode: 'BC-SCT',
      place: 'Đồng Nai',
      signature: ['KT. GIÁM ĐỐC', 'PHÓ GIÁM ĐỐC', 'Nguyễn Trí Phương'],
      archive: /- Lưu: VT, VP \(Khoa\)\./,
      foreign: ['Bình Phước', 'Sở Tư pháp', 'BC-STP'],
      wideTable: 'Số văn bản điện tử',
    },
  },
  {
    name: 'Sở Tư pháp Bình Phước, kstt quý I/2021',
    organization: secondOrganization,
    document: secondOrganizationDocument,
    reportType: 'kstt',
    template: getTemplate('kstt', secondOrganization),
    files: secondSampleFiles,
    timed: secondSampleTimed,
    sampleDir: SECOND_SAMPLE_DIR,
    periodId: '2021-Q1',
    quarters: ['2021-Q1'],
    reportFacts: secondReportFacts('2021-Q1'),
    expected: {
      indicators: { hsTong: 1256, hsKyTruoc: 69, hsTrucTuyen: 662, hsDaGiaiQuyet: 1128, hsQuaHan: 4, hsDangGiaiQuyet: 128, tthcCongBo: 12 },
      ratios: { tyLeTrucTuyen: 52.71, tyLeQuaHan: 0.35, tyLePaknDaXuLy: 100 },
      figures: ['1.256', '1.128', '52,71 %', '0,35 %'],
      subject: 'Tình hình, kết quả thực hiện công tác kiểm soát thủ tục hành chính quý I năm 2021',
      parentBody: 'UBND TỈNH BÌNH PHƯỚC',
      agency: 'SỞ TƯ PHÁP',
      documentCode: 'BC-STP',
      place: 'Bình Phước',
      signature: ['GIÁM ĐỐC', 'Trịnh Quang Minh'],
      archive: /- Lưu: VT, VP\./,
      foreign: ['Đồng Nai', 'Công Thương', 'BC-SCT', 'KT. GIÁM ĐỐC'],
      wideTable: 'Số hồ sơ đang giải quyết',
    },
  },
];

/** A department's report as the pipeline renders it: its period's aggregate, final, number 5 of 05/01/2025. */
export function departmentReportInput(d: Department, o: Partial<RenderInput> = {}): RenderInput {
  return {
    template: d.template,
    report: aggregate(d.template, d.organization, parsePeriod(d.periodId), d.timed()),
    organization: d.organization,
    mode: 'final',
    version: 1,
    number: 5,
    issuedAt: new Date('2025-01-05T02:00:00Z'),
    reportFacts: d.reportFacts,
    ...o,
  };
}
