import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type LocalDynamo, startLocalDynamo, tableSpecFromTemplate } from '../../infra/local/dynamodb';
import { synthTemplate } from '../../infra/synth';
import { DynamoIntakeStore } from '../../shared/adapters/aws/dynamo-intake-store';
import type { Invite } from '../../shared/features/intake/ports';

let db: LocalDynamo;
let store: DynamoIntakeStore;

beforeAll(async () => {
  db = await startLocalDynamo({ table: tableSpecFromTemplate(synthTemplate()) });
  store = new DynamoIntakeStore(db.tableName, db.client, { orgId: 'dongnai-sct', reportType: 'cchc' });
});
afterAll(async () => db?.stop());

const invite = (over: Partial<Invite>): Invite => ({
  linkHash: 'h'.repeat(64),
  divisionId: 'VP',
  periodId: '2021-Q1',
  reason: 'open',
  createdAt: '2021-03-01T00:00:00.000Z',
  expiresAt: '2021-03-25T16:59:59.999Z',
  issuedBy: 'x',
  sentTo: ['a@b.example'],
  revoked: false,
  ...over,
});

describe('DynamoIntakeStore on the local table', () => {
  it('stores invites by hash, lists them by quarter and revokes once', async () => {
    await store.putInvite(invite({ linkHash: 'a'.repeat(64) }));
    await store.putInvite(invite({ linkHash: 'b'.repeat(64), divisionId: 'TTRA' }));
    await store.putInvite(invite({ linkHash: 'c'.repeat(64), periodId: '2021-Q2' }));
    await expect(store.putInvite(invite({ linkHash: 'a'.repeat(64) }))).rejects.toThrow();
    expect(await store.getInvite('a'.repeat(64))).toEqual(invite({ linkHash: 'a'.repeat(64) }));
    expect((await store.listInvites('2021-Q1')).map((i) => i.divisionId).sort()).toEqual(['TTRA', 'VP']);
    await store.revokeInvite('a'.repeat(64), '2021-03-10T00:00:00.000Z');
    await store.revokeInvite('a'.repeat(64), '2021-03-11T00:00:00.000Z');
    expect(await store.getInvite('a'.repeat(64))).toMatchObject({ revoked: true, revokedAt: '2021-03-10T00:00:00.000Z' });
    await expect(store.revokeInvite('z'.repeat(64), '2021-03-10T00:00:00.000Z')).rejects.toThrow();
  });

  it('keeps per-division state: reopen, reminder count, newest upload outcome', async () => {
    expect(await store.getState('2021-Q3', 'VP')).toBeUndefined();
    await store.recordReminder('2021-Q3', 'VP', '2021-09-17T01:00:00.000Z');
    await store.recordReminder('2021-Q3', 'VP', '2021-09-18T01:00:00.000Z');
    await store.markReopened('2021-Q3', 'VP', { at: '2021-09-22T00:00:00.000Z', by: 'c@x', until: '2021-09-27T00:00:00.000Z' });
    await store.recordUploadOutcome('2021-Q3', 'VP', { status: 'refused', at: '2021-09-23T00:00:00.000Z', key: 'k2' });
    // An older event delivered late does not overwrite the newer outcome.
    await store.recordUploadOutcome('2021-Q3', 'VP', { status: 'accepted', at: '2021-09-22T12:00:00.000Z', key: 'k1' });
    await store.recordUploadOutcome('2021-Q3', 'TTRA', { status: 'accepted', at: '2021-09-10T00:00:00.000Z', key: 'k3' });
    expect(await store.getState('2021-Q3', 'VP')).toEqual({
      divisionId: 'VP',
      periodId: '2021-Q3',
      remindersSent: 2,
      lastReminderAt: '2021-09-18T01:00:00.000Z',
      reopenedAt: '2021-09-22T00:00:00.000Z',
      reopenedBy: 'c@x',
      reopenedUntil: '2021-09-27T00:00:00.000Z',
      lastUploadStatus: 'refused',
      lastUploadAt: '2021-09-23T00:00:00.000Z',
      lastUploadKey: 'k2',
    });
    expect((await store.listStates('2021-Q3')).map((s) => [s.divisionId, s.remindersSent]).sort()).toEqual([
      ['TTRA', 0],
      ['VP', 2],
    ]);
  });
});
