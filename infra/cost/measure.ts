/**
 * The measured run the cost model prices (docs/cost.md): the embedded system (same handlers, same
 * SDK calls as on AWS) driven through one department's year, phase by phase, counting
 *  - every AWS SDK call by service and operation (Client.prototype.send, in this process only),
 *    with the bytes written to S3,
 *  - every Lambda invocation and its wall time (LocalRuntimeOptions.onInvoke),
 *  - every mail and its recipients (the local inbox),
 *  - the presigned uploads and downloads users make straight to S3 (not SDK calls here).
 * Phases: "open" (one quarter's invites through the queue), "intake" (the 32 sample submissions
 * of 2021: 8 divisions × 4 quarters), "report" (compile the annual report, two approvals,
 * release, recipients, the download). Writes infra/cost/measured-run.json.
 *   npx tsx infra/cost/measure.ts        (then npm run cost)
 */
import { writeFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from '@smithy/core/client';
import { organization } from '../../shared/config';
import { quarterOfDate } from '../../shared/domain/periods';
import { sampleReportFacts } from '../../shared/sample';
import { BaocaoClient } from '../cli/client';
import { approveAndFetch, submitSamples } from '../local/demo-flow';
import { startLocalRuntime } from '../local/runtime';
import { importFunctionHandler, lambdaContext } from '../local/sfn';

export interface PhaseCounts {
  /** `<service>.<Operation>` → calls (e.g. `DynamoDB.PutItem`). */
  sdkCalls: Record<string, number>;
  /** Bytes put into S3 by the handlers. */
  s3BytesPut: number;
  /** Handler name → invocations and total wall ms. */
  lambda: Record<string, { invocations: number; ms: number }>;
  emails: number;
  recipients: number;
  /** Presigned POST uploads and GET downloads made by users' browsers. */
  userS3Puts: number;
  userS3Gets: number;
}

export interface MeasuredRun {
  measuredAt: string;
  description: string;
  phases: { open: PhaseCounts; intake: PhaseCounts; report: PhaseCounts };
  /** How many units each phase covers (the model divides by these). */
  units: { open: { quarters: number; divisions: number }; intake: { submissions: number }; report: { reports: number } };
}

const empty = (): PhaseCounts => ({ sdkCalls: {}, s3BytesPut: 0, lambda: {}, emails: 0, recipients: 0, userS3Puts: 0, userS3Gets: 0 });

async function measure(): Promise<MeasuredRun> {
  let phase = empty();
  const original = Client.prototype.send;
  // Count what the handlers ask of AWS; the measuring script's own calls go around this.
  Client.prototype.send = function (this: Client<never, never, never, never>, command: unknown, ...rest: unknown[]) {
    const service = (this as unknown as { config?: { serviceId?: string } }).config?.serviceId ?? 'unknown';
    const name = String((command as { constructor: { name: string } }).constructor.name).replace(/Command$/, '');
    const key = `${service}.${name}`;
    phase.sdkCalls[key] = (phase.sdkCalls[key] ?? 0) + 1;
    const body = (command as { input?: { Body?: unknown } }).input?.Body;
    if (service === 'S3' && name === 'PutObject' && body) phase.s3BytesPut += Buffer.byteLength(body as Buffer | string);
    return (original as (...a: unknown[]) => unknown).call(this, command, ...rest);
  } as typeof original;

  process.env.LOG_LEVEL ??= 'ERROR';
  const stateDir = await mkdtemp(join(tmpdir(), 'baocao-cost-'));
  const runtime = await startLocalRuntime({
    stateDir,
    port: 0,
    resumeOnStart: false,
    reconcileIntervalMs: 0,
    onInvoke: (name, ms) => {
      const l = phase.lambda[name] ?? { invocations: 0, ms: 0 };
      phase.lambda[name] = { invocations: l.invocations + 1, ms: l.ms + ms };
    },
  });
  const client = new BaocaoClient(runtime.urls.api);
  const close = (p: PhaseCounts, mailsBefore: number) => {
    const mails = runtime.inbox.list().slice(mailsBefore);
    p.emails = mails.length;
    p.recipients = mails.reduce((n, m) => n + m.to.length, 0);
    return p;
  };
  try {
    await runtime.idle();
    // Start-up work (seeding, the first reconcile) is not part of any phase.
    phase = empty();
    let mails = runtime.inbox.list().length;

    const openPeriod = await importFunctionHandler('open-period');
    await openPeriod({ action: 'open', period: quarterOfDate(new Date(Date.now() + 100 * 86_400_000)) }, lambdaContext('open-period'));
    await runtime.idle();
    phase.lambda['open-period'] = { invocations: 1, ms: 0 }; // invoked by the scheduler, not through the runtime
    const open = close(phase, mails);

    phase = empty();
    mails = runtime.inbox.list().length;
    const quarters = ['2021-Q1', '2021-Q2', '2021-Q3', '2021-Q4'];
    await submitSamples(client, quarters, () => {});
    await runtime.idle();
    const intake = close(phase, mails);
    intake.userS3Puts = quarters.length * organization.divisions.length;

    phase = empty();
    mails = runtime.inbox.list().length;
    const { reportId } = await client.compile('2021', organization.compiler.email, sampleReportFacts('2021'));
    const out = await mkdtemp(join(tmpdir(), 'baocao-cost-out-'));
    const result = await approveAndFetch(client, reportId, { outDir: out });
    await rm(out, { recursive: true, force: true });
    if (result.status !== 'released') throw new Error(`measured run did not release (${result.status})`);
    await runtime.idle();
    const report = close(phase, mails);
    report.userS3Gets = 1 + 2; // the released .docx, and each approver's draft link opened once

    return {
      measuredAt: new Date().toISOString(),
      description:
        'Embedded system, sample organization (8 divisions, 2 approval steps, recipients from organization.json): one quarter opened, 32 submissions of 2021, the annual report compiled, approved, released and downloaded.',
      phases: { open, intake, report },
      units: {
        open: { quarters: 1, divisions: organization.divisions.length },
        intake: { submissions: quarters.length * organization.divisions.length },
        report: { reports: 1 },
      },
    };
  } finally {
    Client.prototype.send = original;
    await runtime.stop();
    await rm(stateDir, { recursive: true, force: true });
  }
}

export const MEASURED_RUN_FILE = new URL('./measured-run.json', import.meta.url);

if (import.meta.url === `file://${process.argv[1]}`) {
  measure()
    .then((run) => {
      writeFileSync(MEASURED_RUN_FILE, `${JSON.stringify(run, null, 2)}\n`);
      console.log(`Đã ghi ${MEASURED_RUN_FILE.pathname}`);
      process.exit(0);
    })
    .catch((err: unknown) => {
      console.error(err);
      process.exit(1);
    });
}
