/**
 * `baocao migrate` on dynalite and the S3 emulator: data written before tenancy (keys without
 * organization and report type) moves to the scoped keys of a named organization, where the
 * product's own stores read it; twice = once; a crash between a new item and the old one's delete
 * is completed; no old item is deleted before its new one is written; a differing new item is a
 * conflict that keeps the old one.
 */
import { PutItemCommand } from '@aws-sdk/client-dynamodb';
import { ListObjectsV2Command, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { DeleteCommand, DynamoDBDocumentClient, PutCommand, ScanCommand } from '@aws-sdk/lib-dynamodb';
import { marshall } from '@aws-sdk/util-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { migrateCommand } from '../../infra/cli/migrate';
import { LOCAL_CREDENTIALS, LOCAL_REGION } from '../../infra/local/aws-identity';
import { type LocalDynamo, startLocalDynamo, tableSpecFromTemplate } from '../../infra/local/dynamodb';
import { type LocalS3, startLocalS3 } from '../../infra/local/s3';
import { synthTemplate } from '../../infra/synth';
import { DynamoIngestLedger } from '../../shared/adapters/aws/dynamo-ingest-ledger';
import { DynamoIntakeStore } from '../../shared/adapters/aws/dynamo-intake-store';
import { DynamoOrganizationStore } from '../../shared/adapters/aws/dynamo-organization-store';
import { DynamoRepository } from '../../shared/adapters/aws/dynamo-repository';
import { S3BlobStore } from '../../shared/adapters/aws/s3-blob-store';
import rawOrganization from '../../shared/config/organization.json' with { type: 'json' };
import { secondOrganizationDocument } from '../../shared/sample/binhphuoc-stp';
import vp from '../../shared/sample/submissions/2021-Q1/VP.json' with { type: 'json' };

const BUCKET = 'baocao-migrate';
const ORG = rawOrganization.id;
const TARGET = { orgId: ORG, reportType: 'cchc' };
const REPORT_ID = '2021-20211216030000-ab12'; // an id of before tenancy: no organization in it
const RAW_KEY = 'raw/2021-Q1/VP/so-lieu.json';
const BODY_KEY = 'submissions/2021-Q1/VP/v0001.json';
const RELEASED_KEY = 'released/2021/bao-cao-cchc-2021-so-01-BC-SCT.docx';
const DRAFT_KEY = `drafts/${REPORT_ID}/v1/du-thao.docx`;

let db: LocalDynamo;
let s3rv: LocalS3;
let s3: S3Client;
let doc: DynamoDBDocumentClient;
/** Every write and delete the migration sends, in order. */
const writes: Array<{ op: string; pk: string; sk: string }> = [];

const run = async (dryRun = false) => {
  const lines: string[] = [];
  const code = await migrateCommand({ org: ORG, dryRun, table: db.tableName, bucket: BUCKET, clients: { dynamo: db.client, s3 } }, (l) =>
    lines.push(l),
  );
  return { code, text: lines.join('\n') };
};

const scan = async () => ((await doc.send(new ScanCommand({ TableName: db.tableName }))).Items ?? []) as Array<Record<string, unknown>>;
const keys = async () => ((await s3.send(new ListObjectsV2Command({ Bucket: BUCKET }))).Contents ?? []).map((o) => o.Key!).sort();
/** Items in an old shape: a moved family with one segment after the kind, or a raw claim of a bare key. */
const oldShaped = (items: Array<Record<string, unknown>>) =>
  items.filter((i) => /^(PERIOD|REPORT|INTAKE)#[^#]+$/.test(String(i.pk)) || String(i.pk).startsWith('RAW#raw/'));

beforeAll(async () => {
  db = await startLocalDynamo({ table: tableSpecFromTemplate(synthTemplate()) });
  s3rv = await startLocalS3({ bucket: BUCKET });
  s3 = new S3Client({ endpoint: s3rv.url, forcePathStyle: true, region: LOCAL_REGION, credentials: LOCAL_CREDENTIALS });
  doc = DynamoDBDocumentClient.from(db.client, { marshallOptions: { removeUndefinedValues: true } });
  db.client.middlewareStack.add(
    (next, context) => async (args) => {
      // Marshalled ({ S: … }) or not, depending on where the document client's own step sits.
      const input = args.input as { Item?: Record<string, unknown>; Key?: Record<string, unknown> };
      const key = input.Item ?? input.Key;
      if (['PutItemCommand', 'DeleteItemCommand', 'UpdateItemCommand'].includes(context.commandName ?? '') && key) {
        const str = (v: unknown) => (typeof v === 'string' ? v : String((v as { S?: string } | undefined)?.S ?? ''));
        writes.push({ op: context.commandName!, pk: str(key.pk), sk: str(key.sk) });
      }
      return next(args);
    },
    { step: 'initialize', name: 'recordWrites' },
  );

  // The organizations of the deployment (the target, and one more: its keys are not "old").
  const orgs = new DynamoOrganizationStore(db.tableName, db.client);
  for (const d of [rawOrganization, secondOrganizationDocument] as Array<{ id: string; agencyName: string; parentBody: string }>) {
    await orgs.put(
      { id: d.id, document: d, version: 1, updatedAt: '2021-01-01T00:00:00Z', updatedBy: 'test' },
      { agencyName: d.agencyName, parentBody: d.parentBody },
    );
  }

  // Data of before tenancy, as the adapters of that time wrote it: the same items under keys without a scope.
  const put = (Item: Record<string, unknown>) => doc.send(new PutCommand({ TableName: db.tableName, Item }));
  const pointer = {
    divisionId: 'VP',
    periodId: '2021-Q1',
    version: 1,
    submittedAt: '2021-03-10T02:00:00Z',
    rawKey: RAW_KEY,
    sha256: 'h',
    warnings: [],
    bodyKey: BODY_KEY,
  };
  await put({ pk: 'PERIOD#2021-Q1', sk: 'DIV#VP', ...pointer });
  await put({ pk: 'PERIOD#2021-Q1', sk: 'DIV#VP#V#0001', ...pointer, uploadId: `${RAW_KEY}@e1` });
  await put({
    pk: 'PERIOD#2021-Q1',
    sk: 'AUDIT#2021-03-10T02:00:00Z#submission.accepted#e1',
    at: '2021-03-10T02:00:00Z',
    actor: 'VP',
    action: 'submission.accepted',
    detail: {},
  });
  await put({ pk: 'INTAKE#2021-Q1', sk: 'DIV#VP', divisionId: 'VP', periodId: '2021-Q1', lastStatus: 'accepted' });
  await put({
    pk: `RAW#${RAW_KEY}`,
    sk: 'UPLOAD',
    key: RAW_KEY,
    etag: 'e1',
    status: 'accepted',
    version: 1,
    divisionId: 'VP',
    periodId: '2021-Q1',
    receivedAt: '2021-03-10T02:00:00Z',
    errors: [],
    warnings: [],
  });
  const report = {
    reportId: REPORT_ID,
    periodId: '2021',
    status: 'released',
    requestedBy: 'c@x',
    createdAt: '2021-12-16T03:00:00Z',
    updatedAt: '2021-12-20T03:00:00Z',
    drafts: [],
    decisions: [],
  };
  await put({ pk: `REPORT#${REPORT_ID}`, sk: 'META', gsi1pk: 'REPORTS#2021', gsi1sk: report.createdAt, ...report });
  await put({
    pk: `REPORT#${REPORT_ID}`,
    sk: 'AUDIT#2021-12-16T03:00:00Z#0001',
    at: '2021-12-16T03:00:00Z',
    actor: 'c@x',
    action: 'report.compile',
    detail: {},
  });
  const link = {
    linkHash: 'h1',
    reportId: REPORT_ID,
    periodId: '2021',
    stepIndex: 0,
    role: 'Chánh Văn phòng',
    approverEmail: 'a@x',
    approverName: 'A',
    taskToken: 't',
    draftSha256: 'd',
    draftKey: DRAFT_KEY,
    draftVersion: 1,
    createdAt: '2021-12-16T03:00:00Z',
    expiresAt: '2099-01-01T00:00:00Z',
    status: 'pending',
  };
  await put({ pk: 'APPROVAL#h1', sk: 'LINK', gsi1pk: 'PENDING_APPROVAL', gsi1sk: link.createdAt, ...link });
  const invite = {
    linkHash: 'i1',
    divisionId: 'VP',
    periodId: '2021-Q1',
    reason: 'open',
    createdAt: '2021-02-15T00:00:00Z',
    expiresAt: '2099-01-01T00:00:00Z',
    issuedBy: 'scheduler',
    sentTo: ['vp@x'],
    revoked: false,
  };
  await put({ pk: 'INVITE#i1', sk: 'LINK', gsi1pk: 'INVITES#2021-Q1', gsi1sk: invite.createdAt, ...invite });
  // The register already named its organization before tenancy: left alone.
  await put({ pk: `REGISTER#${ORG}#2021`, sk: 'NO#0000001', number: 1, reportId: REPORT_ID });

  const object = (Key: string, Body: string) => s3.send(new PutObjectCommand({ Bucket: BUCKET, Key, Body }));
  await object(RAW_KEY, JSON.stringify(vp));
  await object(BODY_KEY, JSON.stringify(vp));
  await object(DRAFT_KEY, 'du thao');
  await object(RELEASED_KEY, 'ban hanh');
  // Already scoped (another organization's): never touched.
  await object(`released/${secondOrganizationDocument.id}/kstt/2021/bao-cao.docx`, 'stp');
  writes.length = 0; // only the migration's own writes from here on
}, 60_000);

afterAll(async () => {
  await s3rv?.stop();
  await db?.stop();
});

describe('baocao migrate --org <id>', () => {
  it('counts in Vietnamese and writes nothing with --dry-run', async () => {
    const before = await scan();
    const { code, text } = await run(true);
    expect(code).toBe(0);
    expect(text).toContain(`Chạy thử (không ghi gì): dữ liệu cũ sẽ chuyển sang tổ chức ${ORG}, loại báo cáo cchc.`);
    expect(text).toContain('Mục dữ liệu (kỳ, báo cáo, tiếp nhận, tệp đã nhận): tìm thấy 7');
    expect(text).toContain('Liên kết (phê duyệt, tải về, nộp số liệu, số văn bản, đăng nhập): tìm thấy 2');
    expect(text).toContain('Tệp (raw, drafts, submissions, released): tìm thấy 4');
    expect(await scan()).toEqual(before);
    expect(writes).toEqual([]);
  });

  it('moves every old item and object to the organization’s keys, where its stores read them', async () => {
    const { code, text } = await run();
    expect(code).toBe(0);
    expect(text).toContain(
      'Mục dữ liệu (kỳ, báo cáo, tiếp nhận, tệp đã nhận): tìm thấy 7, đã chuyển 7, hoàn tất từ lần chạy trước 0, xung đột 0',
    );
    expect(text).toContain('đã gắn tổ chức 2');
    expect(text).toContain('Tệp (raw, drafts, submissions, released): tìm thấy 4, đã chuyển 4');
    expect(text).toContain('Năm có dữ liệu: 2021');
    expect(oldShaped(await scan())).toEqual([]);

    // The product's own stores, built for the organization's scope, see the migrated data.
    const blobs = new S3BlobStore(BUCKET, s3, TARGET);
    const repo = new DynamoRepository(db.tableName, db.client, TARGET, blobs);
    const [current] = await repo.currentSubmissions(['2021-Q1']);
    expect(current).toMatchObject({ divisionId: 'VP', version: 1 });
    expect(current.submission.indicators.hoSoTiepNhan).toBe(3412); // body read from the scoped object
    expect(await repo.getReport(REPORT_ID)).toMatchObject({ status: 'released', periodId: '2021' });
    expect((await repo.listReports('2021')).map((r) => r.reportId)).toEqual([REPORT_ID]);
    expect((await repo.listReportAudit(REPORT_ID)).map((a) => a.action)).toEqual(['report.compile']);
    expect((await repo.pendingApprovals()).map((l) => l.linkHash)).toEqual(['h1']);
    expect(await repo.yearsWithData()).toContain(2021);
    expect((await new DynamoIntakeStore(db.tableName, db.client, TARGET).listInvites('2021-Q1')).map((i) => i.linkHash)).toEqual(['i1']);
    expect(await new DynamoIngestLedger(db.tableName, db.client, TARGET).getClaim(RAW_KEY)).toMatchObject({
      status: 'accepted',
      etag: 'e1',
    });
    expect((await blobs.get(RELEASED_KEY)).toString()).toBe('ban hanh');
    expect(await keys()).toEqual(
      [
        `drafts/${ORG}/cchc/${REPORT_ID}/v1/du-thao.docx`,
        `raw/${ORG}/cchc/2021-Q1/VP/so-lieu.json`,
        `released/${ORG}/cchc/2021/bao-cao-cchc-2021-so-01-BC-SCT.docx`,
        `released/${secondOrganizationDocument.id}/kstt/2021/bao-cao.docx`,
        `submissions/${ORG}/cchc/2021-Q1/VP/v0001.json`,
      ].sort(),
    );
    const items = await scan();
    expect(items.find((i) => i.pk === 'APPROVAL#h1')).toMatchObject({
      orgId: ORG,
      reportType: 'cchc',
      gsi1pk: `PENDING_APPROVAL#${ORG}#cchc#LINKS`,
    });
    expect(items.find((i) => i.pk === `REGISTER#${ORG}#2021`)).toBeDefined();
  });

  it('never deletes an old item before its new one is written', () => {
    const deletes = writes.filter((w) => w.op === 'DeleteItemCommand');
    expect(deletes).toHaveLength(7);
    for (const d of deletes) {
      const at = writes.indexOf(d);
      const [kind, ...rest] = d.pk.split('#');
      const moved = kind === 'RAW' ? `RAW#${ORG}#cchc#${d.pk.slice(4)}` : `${kind}#${ORG}#cchc#${rest.join('#')}`;
      expect(
        writes.slice(0, at).some((w) => w.op === 'PutItemCommand' && w.pk === moved && w.sk === d.sk),
        `${d.pk} / ${d.sk}`,
      ).toBe(true);
    }
  });

  it('run twice gives the same result: nothing is left to move', async () => {
    const before = await scan();
    const objects = await keys();
    const { code, text } = await run();
    expect(code).toBe(0);
    expect(text).toContain('Không còn dữ liệu cũ nào cần chuyển.');
    expect(await scan()).toEqual(before);
    expect(await keys()).toEqual(objects);
  });

  it('completes a run that crashed between writing the new item and deleting the old one', async () => {
    // State of a crash: the new item exists, the old one is still there.
    const item = {
      divisionId: 'TTRA',
      periodId: '2021-Q2',
      version: 1,
      submittedAt: '2021-06-10T02:00:00Z',
      rawKey: 'raw/x',
      sha256: 'h',
      warnings: [],
      bodyKey: 'submissions/x',
    };
    await db.client.send(
      new PutItemCommand({ TableName: db.tableName, Item: marshall({ pk: 'PERIOD#2021-Q2', sk: 'DIV#TTRA', ...item }) }),
    );
    await db.client.send(
      new PutItemCommand({ TableName: db.tableName, Item: marshall({ pk: `PERIOD#${ORG}#cchc#2021-Q2`, sk: 'DIV#TTRA', ...item }) }),
    );
    const { text } = await run();
    expect(text).toContain('tìm thấy 1, đã chuyển 0, hoàn tất từ lần chạy trước 1, xung đột 0');
    expect(oldShaped(await scan())).toEqual([]);
  });

  it('keeps the old item and reports a conflict when the new key holds other data', async () => {
    await doc.send(new PutCommand({ TableName: db.tableName, Item: { pk: 'INTAKE#2021-Q3', sk: 'DIV#VP', lastStatus: 'refused' } }));
    await doc.send(
      new PutCommand({ TableName: db.tableName, Item: { pk: `INTAKE#${ORG}#cchc#2021-Q3`, sk: 'DIV#VP', lastStatus: 'accepted' } }),
    );
    const { code, text } = await run();
    expect(code).toBe(3);
    expect(text).toContain('xung đột 1');
    expect(text).toContain('- INTAKE#2021-Q3 / DIV#VP');
    const items = await scan();
    expect(items.find((i) => i.pk === 'INTAKE#2021-Q3')).toMatchObject({ lastStatus: 'refused' });
    expect(items.find((i) => i.pk === `INTAKE#${ORG}#cchc#2021-Q3`)).toMatchObject({ lastStatus: 'accepted' });
    await doc.send(new DeleteCommand({ TableName: db.tableName, Key: { pk: 'INTAKE#2021-Q3', sk: 'DIV#VP' } }));
  });

  it('refuses, in Vietnamese, an organization the deployment does not have', async () => {
    await expect(
      migrateCommand({ org: 'khong-co', table: db.tableName, bucket: BUCKET, clients: { dynamo: db.client, s3 } }, () => {}),
    ).rejects.toThrow('Không có tổ chức "khong-co" trong hệ thống');
    await expect(
      migrateCommand({ org: ORG, type: 'kstt', table: db.tableName, bucket: BUCKET, clients: { dynamo: db.client, s3 } }, () => {}),
    ).rejects.toThrow('Loại báo cáo (--type) "kstt": tổ chức dongnai-sct không lập loại này. Các loại: cchc.');
  });
});
