/**
 * First run: the sample year (the 8 divisions' submissions of 2021's four quarters) loaded in one
 * click on an empty local system, through the same path as `npm run demo` — presigned uploads
 * ingested from S3, then the compile of the annual report — so a newcomer sees submissions, a
 * compiled draft and the approval path at once. Never by writing records directly.
 */
import { organization } from '../../shared/config';
import { sampleReportFacts } from '../../shared/sample';
import { BaocaoClient } from '../cli/client';
import { submitSamples } from './demo-flow';

export const SAMPLE_YEAR = '2021';
const QUARTERS = ['Q1', 'Q2', 'Q3', 'Q4'].map((q) => `${SAMPLE_YEAR}-${q}`);

export interface SampleLoad {
  state: 'idle' | 'loading' | 'done' | 'failed';
  /** Progress in Vietnamese, one line per step. */
  lines: string[];
  reportId?: string;
  error?: string;
}

/** Does the local system hold no data yet (no year with submissions or reports)? */
export async function systemIsEmpty(): Promise<boolean> {
  const { defaultOrgId, organizationDeps } = await import('../../shared/adapters/wiring');
  const deps = await organizationDeps(defaultOrgId());
  return (await deps.repo.yearsWithData()).length === 0;
}

/** One loader per runtime: a second click while loading (or after) starts nothing more. */
export function sampleLoader(apiUrl: () => string, log: (line: string) => void = () => {}) {
  let status: SampleLoad = { state: 'idle', lines: [] };
  let running: Promise<SampleLoad> | undefined;
  const say = (line: string) => {
    status.lines.push(line);
    log(line);
  };
  async function load(): Promise<SampleLoad> {
    status = { state: 'loading', lines: [] };
    try {
      if (!(await systemIsEmpty())) throw new Error('Hệ thống đã có dữ liệu; không nạp dữ liệu mẫu chồng lên.');
      const client = new BaocaoClient(apiUrl());
      say(`Nạp số liệu mẫu năm ${SAMPLE_YEAR} của ${organization.divisions.length} đơn vị, 4 quý…`);
      await submitSamples(client, QUARTERS, say);
      const started = await client.compile(SAMPLE_YEAR, organization.compiler.email, sampleReportFacts(SAMPLE_YEAR));
      status.reportId = started.reportId;
      say(`Đã bắt đầu tổng hợp báo cáo năm ${SAMPLE_YEAR}; dự thảo sẽ được gửi xin ý kiến bước 1.`);
      status.state = 'done';
    } catch (err) {
      status.state = 'failed';
      status.error = (err as Error)?.message ?? String(err);
      log(`Nạp dữ liệu mẫu không thành công: ${status.error}`);
    }
    return status;
  }
  return {
    status: () => status,
    /** Starts loading unless it already started; resolves when it ends. */
    start(): Promise<SampleLoad> {
      running ??= load();
      return running;
    },
  };
}

export type SampleLoader = ReturnType<typeof sampleLoader>;
