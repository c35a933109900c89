import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DescribeTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { HeadBucketCommand, S3Client } from '@aws-sdk/client-s3';
import { ListExecutionsCommand, SFNClient } from '@aws-sdk/client-sfn';
import nodemailer from 'nodemailer';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { LOCAL_REGION } from '../../infra/local/aws-identity';
import { type LocalRuntime, startLocalRuntime } from '../../infra/local/runtime';

describe('startLocalRuntime', () => {
  let dir: string;
  let runtime: LocalRuntime | undefined;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'baocao-rt-'));
  });
  afterEach(async () => {
    await runtime?.stop();
    runtime = undefined;
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('starts every service on loopback and hands the handlers their environment', async () => {
    runtime = await startLocalRuntime({ stateDir: join(dir, 'state'), port: 0 });
    const { urls, env } = runtime;

    for (const url of Object.values(urls)) expect(url).toMatch(/^(http|smtp):\/\/127\.0\.0\.1:\d+$/);
    expect(env).toMatchObject({
      AWS_REGION: LOCAL_REGION,
      AWS_ENDPOINT_URL_DYNAMODB: urls.dynamodb,
      AWS_ENDPOINT_URL_S3: urls.s3,
      AWS_ENDPOINT_URL_SFN: urls.sfn,
      MAIL_TRANSPORT: 'smtp',
      SMTP_URL: urls.smtp,
      PUBLIC_BASE_URL: urls.api,
      BAOCAO_LOCAL: '1',
    });
    for (const [k, v] of Object.entries(env)) expect(process.env[k]).toBe(v);

    // The unchanged SDK clients reach the local services through the AWS_ENDPOINT_URL_* variables.
    const ddb = new DynamoDBClient({});
    const s3 = new S3Client({ forcePathStyle: true });
    const sfn = new SFNClient({});
    const table = await ddb.send(new DescribeTableCommand({ TableName: env.TABLE_NAME }));
    await s3.send(new HeadBucketCommand({ Bucket: env.BUCKET_NAME }));
    const list = await sfn.send(new ListExecutionsCommand({ stateMachineArn: env.STATE_MACHINE_ARN }));
    expect(table.Table?.TableStatus).toBe('ACTIVE');
    expect(list.executions).toEqual([]);
    for (const c of [ddb, s3, sfn]) c.destroy();
  });

  it('keeps caught mail across a restart and shows it under /_local/', async () => {
    const stateDir = join(dir, 'mail-state');
    runtime = await startLocalRuntime({ stateDir, port: 0 });
    const transport = nodemailer.createTransport(runtime.env.SMTP_URL);
    await transport.sendMail({
      from: runtime.env.MAIL_FROM,
      to: 'binh.cvp@sct-dongnai.example',
      subject: 'Mời duyệt dự thảo',
      text: 'Xin mời.',
    });
    transport.close();
    await runtime.inbox.waitFor((m) => m.subject === 'Mời duyệt dự thảo', 5000);
    const first = runtime.operatorToken;
    await runtime.stop();

    runtime = await startLocalRuntime({ stateDir, port: 0 });
    // A new operator token at every start, kept for the CLI in a file only its owner reads.
    const tokenFile = join(stateDir, 'operator-token');
    expect(readFileSync(tokenFile, 'utf8').trim()).toBe(runtime.operatorToken);
    expect(statSync(tokenFile).mode & 0o777).toBe(0o600);
    expect(runtime.operatorToken).not.toBe(first);
    const old = await fetch(`${runtime.urls.api}/_local/inbox.json`, { headers: { authorization: `Bearer ${first}` } });
    expect(old.status).toBe(403);
    const headers = { authorization: `Bearer ${runtime.operatorToken}` };
    const json = await (await fetch(`${runtime.urls.api}/_local/inbox.json`, { headers })).json();
    const page = await (await fetch(`${runtime.urls.api}/_local/inbox`, { headers })).text();

    expect(json.map((m: { subject: string }) => m.subject)).toEqual(['Mời duyệt dự thảo']);
    expect(page).toContain('Mời duyệt dự thảo');
  });

  it('stop() is idempotent', async () => {
    runtime = await startLocalRuntime({});
    const api = runtime.urls.api;
    await runtime.stop();
    await runtime.stop();
    await expect(fetch(`${api}/_local/inbox.json`)).rejects.toThrow();
  });
});
