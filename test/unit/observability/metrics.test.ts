import { Metrics as PowertoolsMetrics } from '@aws-lambda-powertools/metrics';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { organization } from '../../../shared/config';
import { sha256 } from '../../../shared/crypto';
import { decide } from '../../../shared/features/approval/decide';
import { type IngestDeps, ingestUpload } from '../../../shared/features/intake/ingest';
import { METRICS_NAMESPACE, powertoolsMetrics } from '../../../shared/observability/metrics';
import type { MetricName, Metrics } from '../../../shared/ports';
import vp from '../../../shared/sample/submissions/2021-Q1/VP.json' with { type: 'json' };
import { getTemplate } from '../../../shared/templates';
import { memoryBlobs } from '../../fakes/memory-blobs';
import { MemoryLedger } from '../../fakes/memory-ledger';
import { FakeDeskStore, FakeReportRepo, FakeWorkflow } from '../race-fakes';

/** A Metrics port that remembers what the use cases emitted. */
function recording() {
  const points: { name: MetricName; value: number; kind: 'count' | 'timing' }[] = [];
  const metrics: Metrics = {
    count: (name, n = 1) => points.push({ name, value: n, kind: 'count' }),
    timing: (name, seconds) => points.push({ name, value: seconds, kind: 'timing' }),
  };
  return { points, metrics };
}

describe('Powertools EMF output', () => {
  afterEach(() => vi.restoreAllMocks());

  it('flushes one EMF document per point, namespace Baocao, dimension organizationId', () => {
    const lines: string[] = [];
    vi.spyOn(process.stdout, 'write').mockImplementation(((chunk: unknown) => {
      lines.push(String(chunk));
      return true;
    }) as never);
    // Powertools writes through its own console, bound to process.stdout when it is created.
    const metrics = powertoolsMetrics('so-test', new PowertoolsMetrics({ namespace: METRICS_NAMESPACE }));
    metrics.count('SubmissionsAccepted');
    metrics.timing('ApprovalLatencySeconds', 90);
    vi.restoreAllMocks();
    const docs = lines
      .join('')
      .split('\n')
      .filter((l) => l.includes('_aws'))
      .map((l) => JSON.parse(l) as Record<string, unknown> & { _aws: { CloudWatchMetrics: Record<string, unknown>[] } });
    expect(docs).toHaveLength(2);
    const [count, timing] = docs;
    expect(count._aws.CloudWatchMetrics[0]).toMatchObject({
      Namespace: 'Baocao',
      Dimensions: [['organizationId']],
      Metrics: [{ Name: 'SubmissionsAccepted', Unit: 'Count' }],
    });
    expect(count).toMatchObject({ organizationId: 'so-test', SubmissionsAccepted: 1 });
    expect(timing._aws.CloudWatchMetrics[0]).toMatchObject({ Metrics: [{ Name: 'ApprovalLatencySeconds', Unit: 'Seconds' }] });
    expect(timing).toMatchObject({ organizationId: 'so-test', ApprovalLatencySeconds: 90 });
    expect('SubmissionsAccepted' in timing).toBe(false);
  });
});

describe('use cases emit through the port', () => {
  const ingestDeps = (metrics: Metrics) => {
    const ledger = new MemoryLedger();
    const blobs = memoryBlobs();
    const deps: IngestDeps = {
      repo: { currentSubmissions: (ids) => ledger.currentSubmissions(ids, blobs) },
      ledger,
      blobs,
      template: getTemplate('cchc'),
      organization,
      now: () => new Date('2021-03-10T02:00:00Z'),
      claimOwner: 'test',
      mailer: { send: async () => ({ messageId: 'm' }) },
      metrics,
    };
    return { deps, blobs };
  };

  it('ingest counts an accepted and a refused submission once each, not a duplicate delivery', async () => {
    const { points, metrics } = recording();
    const { deps, blobs } = ingestDeps(metrics);
    await blobs.put('raw/2021-Q1/VP/a.json', JSON.stringify(vp), 'application/json');
    await blobs.put('raw/2021-Q1/ZZ/b.json', JSON.stringify(vp), 'application/json');
    expect(await ingestUpload(deps, { key: 'raw/2021-Q1/VP/a.json' })).toMatchObject({ status: 'accepted' });
    await ingestUpload(deps, { key: 'raw/2021-Q1/VP/a.json' });
    expect(await ingestUpload(deps, { key: 'raw/2021-Q1/ZZ/b.json' })).toMatchObject({ status: 'refused' });
    expect(points).toEqual([
      { name: 'SubmissionsAccepted', value: 1, kind: 'count' },
      { name: 'SubmissionsRefused', value: 1, kind: 'count' },
    ]);
  });

  it('a decision reports the seconds since its link was created', async () => {
    const { points, metrics } = recording();
    const now = new Date('2021-12-16T03:00:00Z');
    const repo = new FakeReportRepo();
    await repo.createReport({
      reportId: 'r1',
      periodId: '2021-Q1',
      status: 'awaiting_approval',
      requestedBy: 'c@x',
      createdAt: now.toISOString(),
      updatedAt: now.toISOString(),
      drafts: [{ version: 1, key: 'drafts/r1/v1/a.docx', sha256: 'd1', fileName: 'a.docx', createdAt: now.toISOString() }],
      currentStep: 0,
      decisions: [],
    });
    await repo.putApprovalLink({
      linkHash: sha256('a'),
      reportId: 'r1',
      periodId: '2021-Q1',
      stepIndex: 0,
      role: 'Chánh Văn phòng',
      approverEmail: 'a@x',
      approverName: 'a',
      taskToken: 'TOKEN-1',
      draftSha256: 'd1',
      draftKey: 'drafts/r1/v1/a.docx',
      draftVersion: 1,
      createdAt: new Date(now.getTime() - 2 * 3600_000).toISOString(),
      expiresAt: new Date(now.getTime() + 86_400_000).toISOString(),
      status: 'pending',
    });
    const res = await decide(
      {
        repo,
        workflow: new FakeWorkflow(),
        blobs: { presignGet: async () => 'https://s3/draft', get: async () => Buffer.from('{}'), getModel: async () => undefined },
        desk: new FakeDeskStore(),
        mailer: { send: async () => ({ messageId: 'm' }) },
        template: getTemplate('cchc'),
        organization,
        baseUrl: 'https://baocao.example',
        now: () => now,
        metrics,
      },
      { secret: 'a', decision: 'approve' },
    );
    expect(res.ok).toBe(true);
    expect(points).toEqual([{ name: 'ApprovalLatencySeconds', value: 7200, kind: 'timing' }]);
  });
});
