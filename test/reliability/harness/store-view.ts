/**
 * The ONLY module of the reliability harness that knows the storage layout (today: the single
 * table of shared/adapters/aws/dynamo-*.ts, keys scoped by organization and report type, and the
 * raw/, released/ prefixes of the bucket, followed by <orgId>/<reportType>/; the outgoing register is
 * REGISTER#<org>#<year> / NO#<number> in dynamo-register.ts). It reads
 * everything straight from the emulators, bypassing the product, and returns a layout-free view
 * that the invariant checkers judge. When the layout changes, only this file changes.
 */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';
import { DynamoDBDocumentClient, ScanCommand } from '@aws-sdk/lib-dynamodb';
import { LOCAL_CREDENTIALS, LOCAL_REGION } from '../../../infra/local/aws-identity';
import { LOCAL_BUCKET } from '../../../infra/local/runtime';

export const LOCAL_TABLE = 'baocao-local';

export interface VersionView {
  version: number;
  /** The uploaded object the version was made from, and a fingerprint of its content. */
  rawKey: string;
  contentHash: string;
}

export interface DivisionView {
  periodId: string;
  divisionId: string;
  /** Highest version number handed out (a counter), when the layout keeps one. */
  counter?: number;
  current?: VersionView;
  versions: VersionView[];
}

export interface UploadOutcomeView {
  key: string;
  etag: string;
  status: string;
  version?: number;
}

/** One "this upload was accepted" audit entry. */
export interface AcceptedEntryView {
  periodId: string;
  key: string;
  etag: string;
  version?: number;
}

export interface DecisionView {
  stepIndex: number;
  decision: 'approve' | 'return';
  decidedBy: string;
  draftHash: string;
}

export interface ReportView {
  reportId: string;
  periodId: string;
  status: string;
  currentStep?: number;
  draftHashes: string[];
  decisions: DecisionView[];
  /** Decision audit entries (one per decision the product claims to have recorded). */
  decisionAudit: Array<{ stepIndex: number; decision: string; draftHash: string; actor: string }>;
  /** Actions of the report's audit trail, in order (report.recompile, report.abandon, …). */
  auditActions: string[];
  /** The per-step decision claims (one item per draft and step; final once handed to the workflow). */
  decisionClaims: Array<{ stepIndex: number; draftHash: string; state: string; decision: string; decidedBy: string }>;
  release?: { number: number; year: number; documentNumber: string };
}

export interface RegisterEntryView {
  number: number;
  reportId: string;
}

export interface StoreView {
  divisions: DivisionView[];
  uploads: Map<string, UploadOutcomeView>;
  accepted: AcceptedEntryView[];
  reports: ReportView[];
  /** The outgoing register per year: every number handed out, and to which report. */
  register: Map<number, RegisterEntryView[]>;
  /** Objects under raw/ in the bucket. */
  rawObjects: Array<{ key: string; etag: string }>;
}

export interface StoreEndpoints {
  dynamodb: string;
  s3: string;
  table?: string;
  bucket?: string;
}

type Item = Record<string, unknown>;

async function scanAll(doc: DynamoDBDocumentClient, table: string): Promise<Item[]> {
  const items: Item[] = [];
  let start: Item | undefined;
  do {
    const res = await doc.send(new ScanCommand({ TableName: table, ExclusiveStartKey: start, ConsistentRead: true }));
    items.push(...((res.Items ?? []) as Item[]));
    start = res.LastEvaluatedKey as Item | undefined;
  } while (start);
  return items;
}

async function listRaw(s3: S3Client, bucket: string): Promise<Array<{ key: string; etag: string }>> {
  const out: Array<{ key: string; etag: string }> = [];
  let token: string | undefined;
  do {
    const res = await s3.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: 'raw/', ContinuationToken: token }));
    for (const o of res.Contents ?? []) out.push({ key: productKey(o.Key ?? ''), etag: (o.ETag ?? '').replaceAll('"', '') });
    token = res.IsTruncated ? res.NextContinuationToken : undefined;
  } while (token);
  return out;
}

/**
 * An organization's items are keyed `<KIND>#<orgId>#<reportType>#<rest>` (scopedPk in
 * shared/adapters/aws/dynamo-table.ts); the view is of every organization together (the
 * scenarios run one). Returns <rest> for an item of the kind.
 */
function scoped(pk: string, kind: string): string | undefined {
  const m = new RegExp(`^${kind}#[^#]+#[^#]+#(.*)$`).exec(pk);
  return m ? m[1] : undefined;
}

/** Bucket keys `raw/<orgId>/<reportType>/<rest>` as the product names them: `raw/<rest>`. */
function productKey(key: string): string {
  const m = /^([a-z]+)\/[a-z0-9-]+\/[a-z0-9-]+\/(\d{4}-.*)$/.exec(key);
  return m ? `${m[1]}/${m[2]}` : key;
}

const str = (v: unknown) => (typeof v === 'string' ? v : '');
const num = (v: unknown) => (typeof v === 'number' ? v : Number(v));
const asVersion = (item: Item): VersionView => ({ version: num(item.version), rawKey: str(item.rawKey), contentHash: str(item.sha256) });

/** s3rver answers InternalError now and then right after a kill -9 (an object cut in half): a few tries. */
async function retry<T>(f: () => Promise<T>, tries = 4): Promise<T> {
  for (let i = 1; ; i++) {
    try {
      return await f();
    } catch (err) {
      if (i >= tries) throw err;
      await new Promise((r) => setTimeout(r, 300 * i));
    }
  }
}

/** Reads the whole table and the raw/ prefix of the bucket into a StoreView. */
export async function readStore(ep: StoreEndpoints): Promise<StoreView> {
  const config = { region: LOCAL_REGION, credentials: LOCAL_CREDENTIALS };
  const ddb = new DynamoDBClient({ ...config, endpoint: ep.dynamodb });
  const doc = DynamoDBDocumentClient.from(ddb);
  const s3 = new S3Client({ ...config, endpoint: ep.s3, forcePathStyle: true });
  try {
    const [items, rawObjects] = await Promise.all([
      scanAll(doc, ep.table ?? LOCAL_TABLE),
      retry(() => listRaw(s3, ep.bucket ?? LOCAL_BUCKET)),
    ]);
    return toView(items, rawObjects);
  } finally {
    ddb.destroy();
    s3.destroy();
  }
}

function toView(items: Item[], rawObjects: StoreView['rawObjects']): StoreView {
  const divisions = new Map<string, DivisionView>();
  const division = (periodId: string, divisionId: string) => {
    const id = `${periodId}/${divisionId}`;
    let d = divisions.get(id);
    if (!d) divisions.set(id, (d = { periodId, divisionId, versions: [] }));
    return d;
  };
  const uploads = new Map<string, UploadOutcomeView>();
  const accepted: AcceptedEntryView[] = [];
  const reports = new Map<string, ReportView>();
  const reportAudit = new Map<string, Item[]>();
  const register = new Map<number, RegisterEntryView[]>();
  // Decision claims first: REPORT#<id>/DECISION#<draft>#<step> sorts after META in a scan's page.
  const reportClaims = new Map<string, ReportView['decisionClaims']>();
  for (const item of items) {
    const pk = str(item.pk);
    if (!pk.startsWith('REPORT#') || !str(item.sk).startsWith('DECISION#')) continue;
    const record = (item.record ?? {}) as Item;
    const id = scoped(pk, 'REPORT') ?? pk.slice('REPORT#'.length);
    const list = reportClaims.get(id) ?? [];
    list.push({
      stepIndex: num(item.stepIndex),
      draftHash: str(record.draftSha256),
      state: str(item.state),
      decision: str(record.decision),
      decidedBy: str(record.decidedBy),
    });
    reportClaims.set(id, list);
  }

  for (const item of items) {
    const pk = str(item.pk);
    const sk = str(item.sk);
    const periodId = scoped(pk, 'PERIOD');
    const rawKey = scoped(pk, 'RAW');
    const reportId = scoped(pk, 'REPORT');
    if (periodId !== undefined) {
      const v = /^DIV#([^#]+)#V#(\d+)$/.exec(sk);
      const c = /^DIV#([^#]+)$/.exec(sk);
      if (v) division(periodId, v[1]).versions.push(asVersion(item));
      else if (c) {
        const d = division(periodId, c[1]);
        if (item.versionCounter !== undefined) d.counter = num(item.versionCounter);
        if (item.version !== undefined) d.current = asVersion(item);
      } else if (sk.startsWith('AUDIT#') && item.action === 'submission.accepted') {
        const detail = (item.detail ?? {}) as Item;
        accepted.push({
          periodId,
          key: str(detail.key),
          etag: str(detail.etag),
          version: detail.version === undefined ? undefined : num(detail.version),
        });
      }
    } else if (rawKey !== undefined && sk === 'UPLOAD') {
      const key = rawKey;
      uploads.set(key, {
        key,
        etag: str(item.etag),
        status: str(item.status),
        version: item.version === undefined ? undefined : num(item.version),
      });
    } else if (reportId !== undefined && sk === 'META') {
      const release = item.release as Item | undefined;
      const releaseKey = str(release?.key);
      reports.set(reportId, {
        reportId: str(item.reportId),
        periodId: str(item.periodId),
        status: str(item.status),
        currentStep: item.currentStep === undefined ? undefined : num(item.currentStep),
        draftHashes: ((item.drafts ?? []) as Item[]).map((d) => str(d.sha256)),
        decisions: ((item.decisions ?? []) as Item[]).map((d) => ({
          stepIndex: num(d.stepIndex),
          decision: str(d.decision) as DecisionView['decision'],
          decidedBy: str(d.decidedBy),
          draftHash: str(d.draftSha256),
        })),
        decisionAudit: [],
        auditActions: [],
        decisionClaims: reportClaims.get(reportId) ?? [],
        release: release
          ? {
              number: num(release.number),
              year: num(/^released\/(\d{4})\//.exec(releaseKey)?.[1]),
              documentNumber: str(release.documentNumber),
            }
          : undefined,
      });
    } else if (reportId !== undefined && sk.startsWith('AUDIT#')) {
      const list = reportAudit.get(reportId) ?? [];
      list.push(item);
      reportAudit.set(reportId, list);
    } else if (pk.startsWith('REGISTER#') && sk.startsWith('NO#')) {
      const year = Number(pk.split('#').at(-1));
      register.set(year, [...(register.get(year) ?? []), { number: num(item.number), reportId: str(item.reportId) }]);
    }
  }

  for (const [reportId, entries] of reportAudit) {
    const report = reports.get(reportId);
    if (!report) continue;
    entries.sort((a, b) => str(a.sk).localeCompare(str(b.sk)));
    report.auditActions = entries.map((e) => str(e.action));
    for (const e of entries) {
      const action = str(e.action);
      if (!action.startsWith('decision.')) continue;
      const detail = (e.detail ?? {}) as Item;
      report.decisionAudit.push({
        stepIndex: num(detail.step) - 1,
        decision: action.slice('decision.'.length),
        draftHash: str(detail.draftSha256),
        actor: str(e.actor),
      });
    }
  }
  for (const d of divisions.values()) d.versions.sort((a, b) => a.version - b.version);
  return { divisions: [...divisions.values()], uploads, accepted, reports: [...reports.values()], register, rawObjects };
}
