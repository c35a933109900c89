/**
 * The aggregate step loads the same period of the previous year through the submission port, so
 * the template's {compare:…} sentences print when both years exist, and only then.
 */
import { describe, expect, it } from 'vitest';
import rawOrganization from '../../shared/config/organization.json' with { type: 'json' };
import { parseOrganization } from '../../shared/config/schema';
import { renderReport } from '../../shared/docx/render';
import type { Submission } from '../../shared/domain/submission';
import { aggregateRun, loadAggregate } from '../../shared/features/reports/pipeline';
import type { PipelineDeps } from '../../shared/features/reports/ports';
import type { StoredSubmission } from '../../shared/ports';
import { sampleSubmissions, sampleSubmittedAt } from '../../shared/sample';
import { getTemplate } from '../../shared/templates/index';
import { paragraphTexts, readDocx } from '../fixtures/docx/docx-reader';

const template = getTemplate('cchc');
const organization = parseOrganization(rawOrganization);

function stored(submission: Submission): StoredSubmission {
  return {
    divisionId: submission.division,
    periodId: submission.period,
    version: 1,
    submission,
    submittedAt: sampleSubmittedAt(submission),
    rawKey: `raw/${submission.division}/${submission.period}`,
    sha256: '0',
    warnings: [],
  };
}

/** 2020: the 2021 samples moved back a year, with fewer files received. */
const lastYear = sampleSubmissions.map(
  (s): Submission => ({
    ...s,
    period: s.period.replace('2021', '2020'),
    indicators: Object.fromEntries(
      Object.entries(s.indicators ?? {}).map(([k, v]) => [k, k === 'hoSoTiepNhan' && typeof v === 'number' ? Math.round(v * 0.8) : v]),
    ),
  }),
);

function memoryDeps(subs: StoredSubmission[]) {
  const objects = new Map<string, Buffer>();
  const requested: string[][] = [];
  const repo = {
    currentSubmissions: async (ids: string[]) => (requested.push(ids), subs.filter((s) => ids.includes(s.periodId))),
    getReport: async () => undefined,
    updateReport: async (reportId: string, patch: object) => ({ reportId, ...patch }),
    appendReportAudit: async () => undefined,
  };
  const deps = {
    repo,
    blobs: {
      put: async (key: string, body: string | Buffer) => (objects.set(key, Buffer.from(body)), { etag: '' }),
      get: async (key: string) => objects.get(key)!,
    },
    template,
    organization,
    now: () => new Date('2021-12-21T00:00:00Z'),
  } as unknown as PipelineDeps;
  return { deps, requested };
}

async function bodyOf(subs: StoredSubmission[]) {
  const { deps, requested } = memoryDeps(subs);
  const { key } = await aggregateRun(deps, { reportId: 'r1', periodId: '2021' });
  const report = await loadAggregate(deps, key);
  const docx = await renderReport({ template, report, organization, mode: 'draft', version: 1 });
  return { report, requested, text: paragraphTexts((await readDocx(docx)).document).join('\n') };
}

describe('previous year in the aggregate step', () => {
  it('loads the same period of the previous year and prints the comparison', async () => {
    const { report, requested, text } = await bodyOf([...sampleSubmissions, ...lastYear].map(stored));
    expect(requested).toContainEqual(['2020-Q1', '2020-Q2', '2020-Q3', '2020-Q4']);
    expect(report.previous?.year).toBe(2020);
    const prev = report.previous!.indicators.hoSoTiepNhan;
    expect(prev).toBeGreaterThan(0);
    expect(prev).toBeLessThan(report.indicators.hoSoTiepNhan);
    expect(text).toMatch(/Tổng số hồ sơ tiếp nhận tăng \d+(,\d+)?% so với cùng kỳ năm 2020\./);
  });

  it('prints no comparison when the previous year has no submissions', async () => {
    const { report, text } = await bodyOf(sampleSubmissions.map(stored));
    expect(report.previous).toBeUndefined();
    expect(text).not.toContain('so với cùng kỳ năm 2020');
    expect(text).not.toContain('{compare');
  });
});
