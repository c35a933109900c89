/** Shared by the handler tests: mocked AWS clients, the wired dependencies, fixtures and events. */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { S3Client } from '@aws-sdk/client-s3';
import { SFNClient } from '@aws-sdk/client-sfn';
import { DynamoDBDocumentClient, GetCommand, PutCommand, QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach } from 'vitest';
import { DynamoDeskStore } from '../../shared/adapters/aws/dynamo-desk-store';
import { DynamoIngestLedger } from '../../shared/adapters/aws/dynamo-ingest-ledger';
import { DynamoIntakeStore } from '../../shared/adapters/aws/dynamo-intake-store';
import { DynamoOrganizationStore } from '../../shared/adapters/aws/dynamo-organization-store';
import { DynamoRegister } from '../../shared/adapters/aws/dynamo-register';
import { DynamoRepository } from '../../shared/adapters/aws/dynamo-repository';
import { DynamoSigninStore } from '../../shared/adapters/aws/dynamo-signin-store';
import { S3BlobStore } from '../../shared/adapters/aws/s3-blob-store';
import { S3SigningFiles } from '../../shared/adapters/aws/s3-signing-files';
import { S3SigningMaterial } from '../../shared/adapters/aws/s3-signing-material';
import { SfnWorkflow } from '../../shared/adapters/aws/sfn-workflow';
import { signingKeys } from '../../shared/adapters/signing/keys';
import { padesSignatures } from '../../shared/adapters/signing/pdf-signatures';
import { organization } from '../../shared/config';
import { sha256 } from '../../shared/crypto';
import { DEFAULT_INTAKE_OPTIONS } from '../../shared/features/intake/ports';
import type { ApprovalLink, MailMessage, ReportRecord } from '../../shared/ports';
import { getTemplate } from '../../shared/templates';

export const ddb = mockClient(DynamoDBDocumentClient);
export const s3 = mockClient(S3Client);
export const sfn = mockClient(SFNClient);
export const NOW = new Date('2021-12-16T03:00:00Z');

/** The store scope of the handler tests: the bundled organization's CCHC report. */
export const SCOPE = { orgId: organization.id, reportType: 'cchc' };
/** A partition key of the scope: pk('PERIOD', '2021-Q1') = `PERIOD#<org>#cchc#2021-Q1`. */
export const pk = (kind: string, rest: string) => `${kind}#${SCOPE.orgId}#${SCOPE.reportType}#${rest}`;

function signingDeps(blobs: S3BlobStore) {
  const files = new S3SigningFiles(blobs);
  const keys = signingKeys(organization, {});
  return { files, keys, pades: padesSignatures, signed: { files, keys, pades: padesSignatures } };
}

export function deps() {
  const sent: MailMessage[] = [];
  // Presigning signs locally: it needs credentials, never a network call.
  const blobs = new S3BlobStore(
    'bucket',
    new S3Client({ region: 'ap-southeast-1', credentials: { accessKeyId: 'AKIDTEST', secretAccessKey: 'secret' } }),
  );
  return {
    sent,
    repo: new DynamoRepository('Table', new DynamoDBClient({ region: 'ap-southeast-1' }), SCOPE),
    ledger: new DynamoIngestLedger('Table', new DynamoDBClient({ region: 'ap-southeast-1' }), SCOPE),
    register: new DynamoRegister('Table', new DynamoDBClient({ region: 'ap-southeast-1' }), SCOPE),
    intake: new DynamoIntakeStore('Table', new DynamoDBClient({ region: 'ap-southeast-1' }), SCOPE),
    organizations: new DynamoOrganizationStore('Table', new DynamoDBClient({ region: 'ap-southeast-1' })),
    intakeOptions: DEFAULT_INTAKE_OPTIONS,
    signin: new DynamoSigninStore('Table', new DynamoDBClient({ region: 'ap-southeast-1' })),
    blobs,
    desk: new DynamoDeskStore('Table', new DynamoDBClient({ region: 'ap-southeast-1' }), SCOPE, blobs),
    mailer: { send: async (m: MailMessage) => (sent.push(m), { messageId: `m${sent.length}` }) },
    // The signing slice's ports (the bundled organization does not sign: no handler test reaches them).
    ...signingDeps(blobs),
    material: new S3SigningMaterial(
      'bucket',
      new S3Client({ region: 'ap-southeast-1', credentials: { accessKeyId: 'AKIDTEST', secretAccessKey: 'secret' } }),
    ),
    workflow: new SfnWorkflow('arn:aws:states:ap-southeast-1:1:stateMachine:x', new SFNClient({ region: 'ap-southeast-1' })),
    template: getTemplate('cchc'),
    organization,
    now: () => NOW,
    baseUrl: 'https://baocao.example',
    local: false,
  };
}

/** The part of an SDK stream body the blob store reads. */
export function body(text: string) {
  return { transformToByteArray: async () => new Uint8Array(Buffer.from(text)) };
}

/** Writes to a division's current or versioned submission items (PERIOD#…/DIV#…) — a refusal must make none. */
export const submissionWrites = () =>
  [...ddb.commandCalls(UpdateCommand), ...ddb.commandCalls(PutCommand)].filter((c) => {
    const input = c.args[0].input as { Key?: Record<string, unknown>; Item?: Record<string, unknown> };
    const item = input.Key ?? input.Item ?? {};
    return String(item.pk).startsWith(pk('PERIOD', '')) && String(item.sk).startsWith('DIV#');
  });

export const s3Event = (key: string) => ({
  'detail-type': 'Object Created',
  source: 'aws.s3',
  detail: { bucket: { name: 'bucket' }, object: { key, etag: 'e1', size: 10 } },
});

beforeEach(() => {
  ddb.reset();
  s3.reset();
  sfn.reset();
  ddb.on(PutCommand).resolves({});
  ddb.on(UpdateCommand).resolves({ Attributes: {} });
  ddb.on(QueryCommand).resolves({ Items: [] });
  ddb.on(GetCommand).resolves({});
});

export const report = (over: Partial<ReportRecord> = {}): ReportRecord => ({
  reportId: '2021-r1',
  periodId: '2021',
  status: 'awaiting_approval',
  requestedBy: 'c@x',
  createdAt: NOW.toISOString(),
  updatedAt: NOW.toISOString(),
  drafts: [{ version: 1, key: 'drafts/2021-r1/v1/a.docx', sha256: 'd1', fileName: 'a.docx', createdAt: NOW.toISOString() }],
  currentStep: 0,
  decisions: [],
  ...over,
});

export const link = (over: Partial<ApprovalLink> = {}): ApprovalLink => ({
  linkHash: sha256('secret-1'),
  reportId: '2021-r1',
  periodId: '2021',
  stepIndex: 0,
  role: 'Chánh Văn phòng',
  approverEmail: 'binh.cvp@sct-dongnai.example',
  approverName: 'Lương Văn Bình',
  taskToken: 'TOKEN-1',
  draftSha256: 'd1',
  draftKey: 'drafts/2021-r1/v1/a.docx',
  draftVersion: 1,
  createdAt: NOW.toISOString(),
  expiresAt: new Date(NOW.getTime() + 3600_000).toISOString(),
  status: 'pending',
  ...over,
});

export const httpEvent = (method: string, path: string, bodyText?: string, cookies?: string[]) => ({
  rawPath: path,
  cookies,
  // What a browser sends from our own pages; /api bodies are JSON (the request guard checks both).
  headers: {
    host: 'baocao.example',
    ...(method === 'POST' ? { origin: 'https://baocao.example' } : {}),
    ...(path.startsWith('/api/') ? { 'content-type': 'application/json' } : {}),
  } as Record<string, string>,
  body: bodyText,
  requestContext: { http: { method, sourceIp: '10.0.0.1' } },
});

export function storeLinkAndReport(l: ApprovalLink, r: ReportRecord) {
  ddb.on(GetCommand, { Key: { pk: `APPROVAL#${l.linkHash}`, sk: 'LINK' } }).resolves({ Item: { pk: 'x', sk: 'LINK', ...l } });
  ddb.on(GetCommand, { Key: { pk: pk('REPORT', r.reportId), sk: 'META' } }).resolves({ Item: { pk: 'x', sk: 'META', ...r } });
}
