import type { ITable } from 'aws-cdk-lib/aws-dynamodb';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import type { HandlerName } from './handler-names';

/** The DynamoDB item actions the stores in shared/adapters/aws/ issue (no Scan, BatchWrite or transactions anywhere). */
export type ItemAction = 'GetItem' | 'PutItem' | 'UpdateItem' | 'Query' | 'DeleteItem';

/**
 * One function's table access, derived from the store methods its handler's code path calls
 * (shared/adapters/aws/dynamo-repository.ts, dynamo-intake-store.ts, dynamo-signin-store.ts).
 */
export interface TableAccess {
  /** Actions on the table itself (items and table-level Query). */
  readonly actions: readonly ItemAction[];
  /** Queries gsi1 (pending approvals, a period's reports, a period's invites). */
  readonly queriesIndex?: boolean;
  /**
   * Partition-key prefixes (`dynamodb:LeadingKeys`) the table actions are limited to.
   * Unset: any item (the pipeline functions, whose inputs come from the state machine).
   */
  readonly leadingKeys?: readonly string[];
  /** DeleteItem, limited to these partition-key prefixes. */
  readonly deletes?: readonly string[];
}

/**
 * Partition-key prefixes of every item family the stores write or read (see the table in
 * infra/constructs/storage.ts and docs/adr/0002-single-table-design.md). A test checks that
 * every `pk` prefix in shared/adapters/aws/dynamo-*.ts is listed here.
 */
export const KEY_PREFIXES = [
  'RAW#',
  'PERIOD#',
  'REPORT#',
  'APPROVAL#',
  'REGISTER#',
  'CLERK#',
  'DOWNLOAD#',
  'INVITE#',
  'INTAKE#',
  'SIGNIN#',
  'ACTIVE#',
  'YEARS#',
  // Organization documents: every handler reads its organization's (GetItem ORG#<id>/CONFIG).
  'ORG#',
  // Powertools Idempotency records of send-invites (shared/adapters/wiring-fanout.ts).
  'IDEMPOTENCY#',
] as const;

/**
 * The internet-facing api may touch every family: in clerk numbering mode the clerk's page enters
 * numbers in the register (REGISTER#, conditional puts only). Its only delete is ending a sign-in session.
 */
const API_KEYS = KEY_PREFIXES.filter((p) => p !== 'IDEMPOTENCY#');

/**
 * Per handler, what it does on the table:
 * - ingest, reconcile-uploads: claim/outcome (RAW#), version slots, versions, current pointer,
 *   audit (Query/Put/Update PERIOD#), currentSubmissions for history, getInvite, getState,
 *   recordUploadOutcome (INVITE#, INTAKE#).
 * - validate: currentSubmissions (Query PERIOD#), getReport, updateReport.
 * - aggregate: currentSubmissions, updateReport.
 * - build-docx: getReport, updateReport, appendAudit, the desk's current edits (Query REPORT#…/DESK#V#).
 * - request-revision, request-desk: getReport, updateReport, appendAudit.
 * - release: getReport, the register (Query REGISTER#, conditional PutItem of an entry,
 *   UpdateItem of the reservation and the release flip on REPORT#), appendAudit.
 * - notify-recipients: getReport, claims per recipient (PutItem/UpdateItem REPORT#…/NOTIFY#), putDownload, appendAudit.
 * - request-number: putClerkLink (CLERK#), highestNumber (Query REGISTER#), appendAudit.
 * - sign-document: getReport, reserveNumber (Query/PutItem REGISTER#, UpdateItem REPORT#), updateReport, appendAudit.
 * - request-signing-action: consumeClerkLink/putClerkLink (CLERK#), getReport, updateReport, appendAudit.
 * - plan-approval: getReport (resume), getDecision, settleDecision/appendDecision (a decider that died
 *   after its hand-off), updateReport, appendAudit.
 * - record-failure: getReport (a superseded report stays so), updateReport, appendAudit,
 *   unlockActiveReport (UpdateItem on ACTIVE#).
 * - resume-report: getReport; continue-report: getReport, updateReport, appendAudit.
 * - request-approval: pendingApprovals (gsi1), consumeApprovalLink, putApprovalLink, updateReport, appendAudit.
 * - open-period: planInviteJobs: completeness (Query PERIOD#, INTAKE#, gsi1 INVITES#), getState;
 *   the organizations list (gsi1 ORGS). Read-only: the jobs go to the queue.
 * - send-invites: per job the Powertools idempotency record (Get/Put/Update/Delete IDEMPOTENCY#),
 *   getState, putInvite (INVITE#), appendPeriodAudit (PERIOD#), recordReminder (INTAKE#), ORG#.
 * - api: every page and operator route; DeleteItem only for SIGNIN# (sign-out).
 * - every handler reads its organization's document (GetItem ORG#<id>/CONFIG, cached per container).
 */
export const TABLE_ACCESS: Record<HandlerName, TableAccess> = {
  ingest: { actions: ['GetItem', 'PutItem', 'UpdateItem', 'Query'] },
  'reconcile-uploads': { actions: ['GetItem', 'PutItem', 'UpdateItem', 'Query'], queriesIndex: true },
  validate: { actions: ['GetItem', 'UpdateItem', 'Query'] },
  aggregate: { actions: ['GetItem', 'UpdateItem', 'Query'] },
  'build-docx': { actions: ['GetItem', 'PutItem', 'UpdateItem', 'Query'] },
  'plan-approval': { actions: ['GetItem', 'PutItem', 'UpdateItem'] },
  'request-approval': { actions: ['GetItem', 'PutItem', 'UpdateItem'], queriesIndex: true },
  'request-revision': { actions: ['GetItem', 'PutItem', 'UpdateItem'] },
  'request-desk': { actions: ['GetItem', 'PutItem', 'UpdateItem'] },
  'record-failure': { actions: ['GetItem', 'PutItem', 'UpdateItem'] },
  release: { actions: ['GetItem', 'PutItem', 'UpdateItem', 'Query'] },
  'notify-recipients': { actions: ['GetItem', 'PutItem', 'UpdateItem'] },
  'request-number': { actions: ['GetItem', 'PutItem', 'Query'] },
  'sign-document': { actions: ['GetItem', 'PutItem', 'UpdateItem', 'Query'] },
  'request-signing-action': { actions: ['GetItem', 'PutItem', 'UpdateItem'] },
  api: {
    actions: ['GetItem', 'PutItem', 'UpdateItem', 'Query'],
    queriesIndex: true,
    leadingKeys: API_KEYS,
    deletes: ['SIGNIN#'],
  },
  'open-period': { actions: ['GetItem', 'Query'], queriesIndex: true },
  'send-invites': {
    actions: ['GetItem', 'PutItem', 'UpdateItem'],
    leadingKeys: ['ORG#', 'INVITE#', 'PERIOD#', 'INTAKE#', 'IDEMPOTENCY#'],
    // Powertools deletes the in-progress record of a job that failed, so its retry may run.
    deletes: ['IDEMPOTENCY#'],
  },
  'resume-report': { actions: ['GetItem'] },
  'continue-report': { actions: ['GetItem', 'PutItem', 'UpdateItem'] },
};

const leading = (prefixes: readonly string[]) => ({
  'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': prefixes.map((p) => `${p}*`) },
});

/** Adds the statements of one TableAccess to a function's role. */
export function grantTableAccess(fn: lambda.Function, table: ITable, access: TableAccess): void {
  const ddb = (a: readonly string[]) => a.map((x) => `dynamodb:${x}`);
  fn.addToRolePolicy(
    new iam.PolicyStatement({
      actions: ddb(access.actions),
      resources: [table.tableArn],
      ...(access.leadingKeys ? { conditions: leading(access.leadingKeys) } : {}),
    }),
  );
  if (access.deletes?.length) {
    fn.addToRolePolicy(
      new iam.PolicyStatement({ actions: ddb(['DeleteItem']), resources: [table.tableArn], conditions: leading(access.deletes) }),
    );
  }
  // Index keys are not the table's partition key, so LeadingKeys cannot bound them; read-only.
  if (access.queriesIndex) {
    fn.addToRolePolicy(new iam.PolicyStatement({ actions: ddb(['Query']), resources: [`${table.tableArn}/index/gsi1`] }));
  }
}
