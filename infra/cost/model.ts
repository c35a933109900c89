/**
 * Cost model (issue 15 item 7): docs/cost.md from
 *  - the synthesized template (what is deployed: functions and their memory, alarms, dashboards,
 *    KMS keys, queues polled by Lambda, schedules, the state machine's states), and
 *  - the call counts of a measured run on the embedded system (infra/cost/measured-run.json,
 *    written by infra/cost/measure.ts),
 * priced with the public list prices below (US East (N. Virginia), on-demand, no free tier).
 *   npm run cost            writes docs/cost.md
 *   npm run cost -- --check exits 1 when docs/cost.md is not what the model renders
 */
import { readFileSync, writeFileSync } from 'node:fs';
import type { CfnTemplate } from '../cfn-template';
import { extractStateMachine } from '../local/definition';
import { synthTemplate } from '../synth';
import type { MeasuredRun, PhaseCounts } from './measure';

/** Public list prices, USD, us-east-1, as published on each service's pricing page (read 2025-06; check before quoting). */
export const PRICES = {
  date: '2025-06',
  region: 'us-east-1',
  lambdaPerRequest: 0.2 / 1e6,
  /** arm64 (the stack's architecture), per GB-second. */
  lambdaPerGbSecond: 0.0000133334,
  /** DynamoDB on-demand (price cut of November 2024). */
  dynamoPerWrite: 0.625 / 1e6,
  dynamoPerRead: 0.125 / 1e6,
  dynamoPerGbMonth: 0.25,
  pitrPerGbMonth: 0.2,
  s3PutPerRequest: 0.005 / 1000,
  s3GetPerRequest: 0.0004 / 1000,
  s3PerGbMonth: 0.023,
  sfnPerTransition: 0.025 / 1000,
  sesPerRecipient: 0.1 / 1000,
  httpApiPerRequest: 1.0 / 1e6,
  sqsPerRequest: 0.4 / 1e6,
  xrayPerTrace: 5.0 / 1e6,
  logsPerGbIngested: 0.5,
  alarmPerMonth: 0.1,
  dashboardPerMonth: 3.0,
  kmsKeyPerMonth: 1.0,
  schedulerPerInvocation: 1.0 / 1e6,
} as const;

/** Assumptions the measured run cannot give, each used once below. */
export const ASSUMPTIONS = {
  /** Request units per DynamoDB call: items are small (≤ 1 KB written, ≤ 4 KB read); the report item and queries return more. */
  writeUnitsPerCall: 2,
  readUnitsPerCall: 1,
  queryUnitsPerCall: 2,
  /** Log bytes per invocation (a few JSON lines). */
  logBytesPerInvocation: 2048,
  /** Lambda's SQS poller while a queue is empty: 5 long polls of 20 s each. */
  idlePollsPerQueueMonth: 5 * 3 * 60 * 24 * 30,
  /** Per message: one receive and one delete (batched) by the poller. */
  sqsRequestsPerMessage: 2,
  /** A year of one department: 4 quarters opened, half the divisions reminded, each division submitting 1.25 times a quarter, 4 reports (quarter, 6 months, 9 months, year). */
  quartersPerYear: 4,
  remindedShare: 0.5,
  submissionsPerDivisionQuarter: 1.25,
  reportsPerYear: 4,
  divisionsPerDepartment: 8,
  /** One deployment per province (a province's IT centre hosts its departments); 63 provinces. */
  departmentsPerProvince: 20,
  departments: 1260,
  provinces: 63,
  /** Released files and submissions kept: priced for one year of storage here. */
  storageMonths: 12,
} as const;

export interface Line {
  item: string;
  usd: number;
}

const gb = (bytes: number) => bytes / 1024 ** 3;

/** What the template deploys that the model prices. */
export function deployed(template: CfnTemplate) {
  type Props = {
    Environment?: { Variables?: Record<string, unknown> };
    MemorySize?: number;
    EventSourceArn?: unknown;
    ScheduleExpression?: string;
  };
  const resources = Object.values(template.Resources ?? {}) as Array<{ Type: string; Properties?: Props }>;
  const of = (type: string) => resources.filter((r) => r.Type === type);
  const memoryMb: Record<string, number> = {};
  for (const f of of('AWS::Lambda::Function')) {
    const name = f.Properties?.Environment?.Variables?.HANDLER_NAME;
    if (typeof name === 'string') memoryMb[name] = Number(f.Properties?.MemorySize ?? 128);
  }
  const { definition } = extractStateMachine(template);
  const states = Object.values(definition.States ?? {}) as Array<{ Type: string }>;
  const sqsMappings = of('AWS::Lambda::EventSourceMapping').filter((m) =>
    JSON.stringify(m.Properties?.EventSourceArn ?? '').includes('Arn'),
  );
  const every = of('AWS::Events::Rule').find((r) => String(r.Properties?.ScheduleExpression ?? '').startsWith('rate('));
  const minutes = Number(/rate\((\d+) minutes?\)/.exec(String(every?.Properties?.ScheduleExpression ?? ''))?.[1] ?? 0);
  return {
    memoryMb,
    alarms: of('AWS::CloudWatch::Alarm').length,
    dashboards: of('AWS::CloudWatch::Dashboard').length,
    kmsKeys: of('AWS::KMS::Key').length,
    polledQueues: sqsMappings.length,
    schedules: of('AWS::Scheduler::Schedule').length,
    reconcileEveryMinutes: minutes,
    /** State transitions per Task invocation: all states over Task states of the definition. */
    transitionsPerTask: states.length / Math.max(1, states.filter((s) => s.Type === 'Task').length),
    functions: Object.keys(memoryMb).length,
  };
}

const PIPELINE = new Set([
  'validate',
  'aggregate',
  'build-docx',
  'plan-approval',
  'request-approval',
  'request-revision',
  'record-failure',
  'release',
  'notify-recipients',
  'request-number',
  'resume-report',
  'continue-report',
]);
const ENTRY = new Set(['api', 'ingest', 'open-period', 'reconcile-uploads']);

/** The priced lines of one measured phase. */
export function phaseCost(p: PhaseCounts, d: ReturnType<typeof deployed>): Line[] {
  const calls = (pred: (service: string, op: string) => boolean) =>
    Object.entries(p.sdkCalls)
      .filter(([k]) => pred(k.split('.')[0], k.split('.')[1]))
      .reduce((n, [, v]) => n + v, 0);
  const lambdaRuns = Object.entries(p.lambda);
  const invocations = lambdaRuns.reduce((n, [, l]) => n + l.invocations, 0);
  const gbSeconds = lambdaRuns.reduce((s, [name, l]) => s + (l.ms / 1000) * ((d.memoryMb[name] ?? 512) / 1024), 0);
  const ddbWrites = calls((s, o) => s === 'DynamoDB' && /^(Put|Update|Delete)(Item)?$/.test(o));
  const ddbGets = calls((s, o) => s === 'DynamoDB' && /^Get(Item)?$/.test(o));
  const ddbQueries = calls((s, o) => s === 'DynamoDB' && o === 'Query');
  const s3Puts = calls((s, o) => s === 'S3' && /^(PutObject|ListObjectsV2|CopyObject)$/.test(o)) + p.userS3Puts;
  const s3Gets = calls((s, o) => s === 'S3' && /^(GetObject|HeadObject)$/.test(o)) + p.userS3Gets;
  const pipelineTasks = lambdaRuns.filter(([n]) => PIPELINE.has(n)).reduce((n, [, l]) => n + l.invocations, 0);
  const traces =
    lambdaRuns.filter(([n]) => ENTRY.has(n)).reduce((n, [, l]) => n + l.invocations, 0) +
    calls((s, o) => s === 'SFN' && o === 'StartExecution');
  const queued = calls((s, o) => s === 'SQS' && /^SendMessage/.test(o));
  // One queued message per invite mail.
  const messages = p.lambda['send-invites'] ? p.emails : 0;
  return [
    { item: 'Lambda', usd: invocations * PRICES.lambdaPerRequest + gbSeconds * PRICES.lambdaPerGbSecond },
    {
      item: 'DynamoDB',
      usd:
        ddbWrites * ASSUMPTIONS.writeUnitsPerCall * PRICES.dynamoPerWrite +
        (ddbGets * ASSUMPTIONS.readUnitsPerCall + ddbQueries * ASSUMPTIONS.queryUnitsPerCall) * PRICES.dynamoPerRead,
    },
    { item: 'S3 requests', usd: s3Puts * PRICES.s3PutPerRequest + s3Gets * PRICES.s3GetPerRequest },
    { item: `S3 storage (${ASSUMPTIONS.storageMonths} months)`, usd: gb(p.s3BytesPut) * PRICES.s3PerGbMonth * ASSUMPTIONS.storageMonths },
    { item: 'Step Functions', usd: pipelineTasks * d.transitionsPerTask * PRICES.sfnPerTransition },
    { item: 'SES', usd: p.recipients * PRICES.sesPerRecipient },
    { item: 'HTTP API', usd: (p.lambda.api?.invocations ?? 0) * PRICES.httpApiPerRequest },
    { item: 'SQS', usd: (queued + messages * ASSUMPTIONS.sqsRequestsPerMessage) * PRICES.sqsPerRequest },
    { item: 'X-Ray', usd: traces * PRICES.xrayPerTrace },
    { item: 'CloudWatch Logs', usd: gb(invocations * ASSUMPTIONS.logBytesPerInvocation) * PRICES.logsPerGbIngested },
  ];
}

/** Fixed monthly cost of one deployment with `orgs` organizations and no report activity. */
export function idleMonth(d: ReturnType<typeof deployed>, orgs: number): Line[] {
  const reconcileRuns = d.reconcileEveryMinutes ? (30 * 24 * 60) / d.reconcileEveryMinutes : 0;
  const reconcileMb = d.memoryMb['reconcile-uploads'] ?? 512;
  return [
    { item: `CloudWatch alarms (${d.alarms})`, usd: d.alarms * PRICES.alarmPerMonth },
    { item: `Dashboard (${d.dashboards}; the first 3 of an account are free)`, usd: d.dashboards * PRICES.dashboardPerMonth },
    { item: `KMS keys (${d.kmsKeys})`, usd: d.kmsKeys * PRICES.kmsKeyPerMonth },
    {
      item: `SQS polling by Lambda (${d.polledQueues} queues)`,
      usd: d.polledQueues * ASSUMPTIONS.idlePollsPerQueueMonth * PRICES.sqsPerRequest,
    },
    {
      // Each run: one invocation (~0.3 s), one LIST of raw/ per organization and report type.
      item: `Upload reconciler every ${d.reconcileEveryMinutes} min`,
      usd:
        reconcileRuns * (PRICES.lambdaPerRequest + 0.3 * (reconcileMb / 1024) * PRICES.lambdaPerGbSecond) +
        reconcileRuns * orgs * PRICES.s3PutPerRequest,
    },
  ];
}

const sum = (lines: Line[]) => lines.reduce((s, l) => s + l.usd, 0);
const scale = (lines: Line[], k: number) => lines.map((l) => ({ ...l, usd: l.usd * k }));
const add = (...groups: Line[][]) => {
  const out = new Map<string, number>();
  for (const g of groups) for (const l of g) out.set(l.item, (out.get(l.item) ?? 0) + l.usd);
  return [...out].map(([item, usd]) => ({ item, usd }));
};

export function model(template: CfnTemplate, run: MeasuredRun) {
  const d = deployed(template);
  const a = ASSUMPTIONS;
  const perInvite = scale(phaseCost(run.phases.open, d), 1 / run.units.open.divisions);
  const perSubmission = scale(phaseCost(run.phases.intake, d), 1 / run.units.intake.submissions);
  const perReport = scale(phaseCost(run.phases.report, d), 1 / run.units.report.reports);
  // One department's year of activity.
  const invitesPerYear = a.quartersPerYear * a.divisionsPerDepartment * (1 + a.remindedShare);
  const submissionsPerYear = a.quartersPerYear * a.divisionsPerDepartment * a.submissionsPerDivisionQuarter;
  const departmentYear = add(
    scale(perInvite, invitesPerYear),
    scale(perSubmission, submissionsPerYear),
    scale(perReport, a.reportsPerYear),
  );
  const departmentMonth = scale(departmentYear, 1 / 12);
  const provinceIdle = idleMonth(d, a.departmentsPerProvince);
  const province = add(provinceIdle, scale(departmentMonth, a.departmentsPerProvince));
  const country = add(scale(provinceIdle, a.provinces), scale(departmentMonth, a.departments));
  return { d, perInvite, perSubmission, perReport, departmentMonth, idle: idleMonth(d, 1), provinceIdle, province, country };
}

const usd = (v: number) => (v === 0 ? '0' : v < 0.0001 ? v.toExponential(1) : v < 1 ? v.toFixed(4) : v.toFixed(2));

function table(title: string, lines: Line[]): string {
  const rows = lines.filter((l) => l.usd > 0).sort((x, y) => y.usd - x.usd);
  return [
    `| ${title} | USD |`,
    '| --- | ---: |',
    ...rows.map((l) => `| ${l.item} | ${usd(l.usd)} |`),
    `| **total** | **${usd(sum(lines))}** |`,
  ].join('\n');
}

export function renderCostDoc(template: CfnTemplate, run: MeasuredRun): string {
  const m = model(template, run);
  const a = ASSUMPTIONS;
  return `# Cost model

Generated by \`npm run cost\` (infra/cost/model.ts) — do not edit by hand; a test fails when this
file is not what the model renders. Inputs: the synthesized template (${m.d.functions} functions,
${m.d.alarms} alarms, ${m.d.dashboards} dashboard, ${m.d.kmsKeys} KMS key, ${m.d.polledQueues} queues polled by Lambda,
${m.d.schedules} schedules, ${m.d.transitionsPerTask.toFixed(2)} state transitions per task) and the measured run of
${run.measuredAt.slice(0, 10)} (infra/cost/measured-run.json, from \`npx tsx infra/cost/measure.ts\`):
${run.description}

Prices: public list prices of ${PRICES.region}, read ${PRICES.date}, on demand, **no free tier**
(most of these costs fall inside AWS's monthly free tiers for a small deployment). Lambda
duration is the local wall time of each invocation (an over-estimate: a loaded shared machine,
TypeScript run by tsx). Assumptions are in \`ASSUMPTIONS\` in the script.

## Per unit

${table('Per report (compile → 2 approvals → release → recipients → download)', m.perReport)}

${table('Per submission (upload, ingest, status polls)', m.perSubmission)}

${table('Per invite or reminder (queued, mailed once)', m.perInvite)}

## Idle, per month (one deployment, nothing happening)

${table('One deployment, one organization', m.idle)}

Alarms dominate: one Errors and one Throttles alarm per function, each dead-letter queue, the
invite backlog, API 5xx and the three execution alarms (each US$0.10 a month).

## One province (${a.departmentsPerProvince} departments in one deployment), per month

Each department: ${a.quartersPerYear} quarters opened (${a.divisionsPerDepartment} divisions, ${a.remindedShare * 100} % reminded), each division
submitting ${a.submissionsPerDivisionQuarter} times a quarter, ${a.reportsPerYear} reports a year; spread over 12 months.

${table(`Province: idle + ${a.departmentsPerProvince} departments' activity`, m.province)}

## The whole country (${a.departments} departments, ${a.provinces} deployments), per month

${table('Country', m.country)}
`;
}

export const COST_DOC = new URL('../../docs/cost.md', import.meta.url);
export const MEASURED_RUN = new URL('./measured-run.json', import.meta.url);

export function readMeasuredRun(): MeasuredRun {
  return JSON.parse(readFileSync(MEASURED_RUN, 'utf8')) as MeasuredRun;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const doc = renderCostDoc(synthTemplate(), readMeasuredRun());
  if (process.argv.includes('--check')) {
    const current = readFileSync(COST_DOC, 'utf8');
    if (current !== doc) {
      console.error('docs/cost.md không khớp với mô hình chi phí: chạy npm run cost');
      process.exit(1);
    }
    console.log('docs/cost.md khớp với mô hình chi phí');
  } else {
    writeFileSync(COST_DOC, doc);
    console.log(`Đã ghi ${COST_DOC.pathname}`);
  }
}
