import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, GetCommand, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, describe, expect, it } from 'vitest';
import { DynamoIntakeStore } from '../../../shared/adapters/aws/dynamo-intake-store';
import { DynamoRegister } from '../../../shared/adapters/aws/dynamo-register';
import { DynamoRepository } from '../../../shared/adapters/aws/dynamo-repository';
import { DynamoSigninStore } from '../../../shared/adapters/aws/dynamo-signin-store';
import { TTL_GRACE_SECONDS, ttlAfter } from '../../../shared/adapters/aws/dynamo-table';

const ddb = mockClient(DynamoDBDocumentClient);
const client = () => new DynamoDBClient({ region: 'ap-southeast-1' });
/** Stores of one organization and report type (links record it; see ADR 0032). */
const SCOPE = { orgId: 'so-cong-thuong-dong-nai', reportType: 'cchc' };
const EXPIRES = '2026-12-31T17:00:00.000Z';
/** 31 Dec 2026 17:00 UTC in epoch seconds, plus 30 days. */
const TTL = Date.parse(EXPIRES) / 1000 + 30 * 86400;

const putItem = () => {
  const calls = ddb.commandCalls(PutCommand);
  expect(calls).toHaveLength(1);
  return calls[0].args[0].input.Item as Record<string, unknown>;
};

describe('TTL on links, sessions and rate windows', () => {
  afterEach(() => ddb.reset());

  it('is expiry plus thirty days in epoch seconds, none for an unreadable date', () => {
    expect(TTL_GRACE_SECONDS).toBe(2_592_000);
    expect(ttlAfter(EXPIRES)).toBe(TTL);
    expect(ttlAfter('không phải ngày')).toBeUndefined();
  });

  it('an approval link carries it', async () => {
    ddb.on(PutCommand).resolves({});
    const repo = new DynamoRepository('T', client(), SCOPE);
    await repo.putApprovalLink({
      linkHash: 'h1',
      reportId: 'r1',
      periodId: '2026-Q4',
      stepIndex: 0,
      role: 'Trưởng phòng',
      approverEmail: 'a@example.gov.vn',
      approverName: 'Nguyễn Văn A',
      taskToken: 'tok',
      draftSha256: 'abc',
      draftKey: 'drafts/r1.docx',
      draftVersion: 1,
      createdAt: '2026-12-01T00:00:00.000Z',
      expiresAt: EXPIRES,
      status: 'pending',
    });
    expect(putItem()).toMatchObject({ pk: 'APPROVAL#h1', ttl: TTL });
  });

  it('a download link carries it', async () => {
    ddb.on(PutCommand).resolves({});
    const repo = new DynamoRepository('T', client(), SCOPE);
    await repo.putDownload('d1', { reportId: 'r1', key: 'released/r1.docx', fileName: 'bao-cao.docx', expiresAt: EXPIRES });
    expect(putItem()).toMatchObject({ pk: 'DOWNLOAD#d1', ttl: TTL });
  });

  it('an invite carries it, and reading it back hides the attribute', async () => {
    ddb.on(PutCommand).resolves({});
    const store = new DynamoIntakeStore('T', client(), SCOPE);
    const invite = {
      linkHash: 'i1',
      divisionId: 'sxd',
      periodId: '2026-Q4',
      reason: 'open' as const,
      createdAt: '2026-12-01T00:00:00.000Z',
      expiresAt: EXPIRES,
      issuedBy: 'scheduler',
      sentTo: ['sxd@example.gov.vn'],
      revoked: false,
    };
    await store.putInvite(invite);
    const item = putItem();
    expect(item).toMatchObject({ pk: 'INVITE#i1', ttl: TTL });
    ddb.on(GetCommand).resolves({ Item: item });
    expect(await store.getInvite('i1')).toEqual(invite);
  });

  it('a clerk link carries it', async () => {
    ddb.on(PutCommand).resolves({});
    await new DynamoRegister('T', client(), SCOPE).putClerkLink({
      linkHash: 'c1',
      reportId: 'r1',
      periodId: '2026-Q4',
      taskToken: 'tok',
      clerkEmail: 'vanthu@example.gov.vn',
      createdAt: '2026-12-01T00:00:00.000Z',
      expiresAt: EXPIRES,
      status: 'pending',
    });
    expect(putItem()).toMatchObject({ pk: 'CLERK#c1', ttl: TTL });
  });

  it('sign-in links and sessions carry it, and so does a rate window', async () => {
    ddb.on(PutCommand).resolves({});
    ddb.on(UpdateCommand).resolves({});
    const store = new DynamoSigninStore('T', client());
    await store.put('s1', { kind: 'session', email: 'tonghop@example.gov.vn', expiresAt: EXPIRES, status: 'active' });
    expect(putItem()).toMatchObject({ pk: 'SIGNIN#s1', ttl: TTL });
    await store.countAttempt('ip#1', { start: '2026-12-31T16:45:00.000Z', end: EXPIRES }, 5);
    const update = ddb.commandCalls(UpdateCommand)[0].args[0].input;
    expect(update.ExpressionAttributeNames?.['#t']).toBe('ttl');
    expect(update.ExpressionAttributeValues?.[':ttl']).toBe(TTL);
  });
});
