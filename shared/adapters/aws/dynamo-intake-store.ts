import { GetCommand, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { IntakeState, IntakeStore, Invite } from '../../features/intake/ports';
import { DynamoTable, SCOPE_FIELDS, stripKeys, ttlAfter } from './dynamo-table';

/**
 * Intake items in the single table, next to the Repository's:
 *   INVITE#<sha256(link secret)> / LINK        invite link; gsi1 INVITES#<quarter> / <division>#<createdAt>
 *   INTAKE#<quarter>             / DIV#<div>   reopen, reminders, last upload outcome
 */
export class DynamoIntakeStore extends DynamoTable implements IntakeStore {
  async putInvite(invite: Invite): Promise<void> {
    await this.doc.send(
      new PutCommand({
        TableName: this.table,
        Item: {
          pk: `INVITE#${invite.linkHash}`,
          sk: 'LINK',
          gsi1pk: this.scopedPk('INVITES', invite.periodId),
          gsi1sk: `${invite.divisionId}#${invite.createdAt}`,
          ...invite,
          ...this.scope,
          ttl: ttlAfter(invite.expiresAt),
        },
        ConditionExpression: 'attribute_not_exists(pk)',
      }),
    );
  }

  async getInvite(linkHash: string): Promise<Invite | undefined> {
    const res = await this.doc.send(
      new GetCommand({ TableName: this.table, Key: { pk: `INVITE#${linkHash}`, sk: 'LINK' }, ConsistentRead: true }),
    );
    return res.Item ? stripKeys<Invite>(res.Item, SCOPE_FIELDS) : undefined;
  }

  async listInvites(periodId: string): Promise<Invite[]> {
    const items = await this.queryAll({
      IndexName: 'gsi1',
      KeyConditionExpression: 'gsi1pk = :p',
      ExpressionAttributeValues: { ':p': this.scopedPk('INVITES', periodId) },
    });
    return items.map((i) => stripKeys<Invite>(i, SCOPE_FIELDS));
  }

  async revokeInvite(linkHash: string, at: string): Promise<void> {
    await this.doc.send(
      new UpdateCommand({
        TableName: this.table,
        Key: { pk: `INVITE#${linkHash}`, sk: 'LINK' },
        UpdateExpression: 'SET revoked = :t, revokedAt = if_not_exists(revokedAt, :at)',
        ConditionExpression: 'attribute_exists(pk)',
        ExpressionAttributeValues: { ':t': true, ':at': at },
      }),
    );
  }

  async getState(periodId: string, divisionId: string): Promise<IntakeState | undefined> {
    const res = await this.doc.send(
      new GetCommand({
        TableName: this.table,
        Key: { pk: this.scopedPk('INTAKE', periodId), sk: `DIV#${divisionId}` },
        ConsistentRead: true,
      }),
    );
    return res.Item ? withDefaults(res.Item) : undefined;
  }

  async listStates(periodId: string): Promise<IntakeState[]> {
    const items = await this.queryAll({
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :d)',
      ExpressionAttributeValues: { ':pk': this.scopedPk('INTAKE', periodId), ':d': 'DIV#' },
    });
    return items.map(withDefaults);
  }

  async markReopened(periodId: string, divisionId: string, p: { at: string; by: string; until: string }): Promise<void> {
    await this.update(periodId, divisionId, 'SET reopenedAt = :at, reopenedBy = :by, reopenedUntil = :u', {
      ':at': p.at,
      ':by': p.by,
      ':u': p.until,
    });
  }

  async recordReminder(periodId: string, divisionId: string, at: string): Promise<void> {
    await this.update(periodId, divisionId, 'SET lastReminderAt = :at ADD remindersSent :one', { ':at': at, ':one': 1 });
  }

  async recordUploadOutcome(periodId: string, divisionId: string, p: { status: 'accepted' | 'refused'; at: string; key: string }) {
    // Events may arrive out of order: an older outcome never overwrites a newer one.
    try {
      await this.update(
        periodId,
        divisionId,
        'SET lastUploadStatus = :s, lastUploadAt = :at, lastUploadKey = :k',
        { ':s': p.status, ':at': p.at, ':k': p.key },
        'attribute_not_exists(lastUploadAt) OR lastUploadAt <= :at',
      );
    } catch (err) {
      if ((err as { name?: string }).name !== 'ConditionalCheckFailedException') throw err;
    }
  }

  private async update(periodId: string, divisionId: string, expr: string, values: Record<string, unknown>, condition?: string) {
    await this.doc.send(
      new UpdateCommand({
        TableName: this.table,
        Key: { pk: this.scopedPk('INTAKE', periodId), sk: `DIV#${divisionId}` },
        UpdateExpression: `${expr.includes('SET ') ? expr.replace('SET ', 'SET divisionId = :div, periodId = :per, ') : `SET divisionId = :div, periodId = :per ${expr}`}`,
        ExpressionAttributeValues: { ...values, ':div': divisionId, ':per': periodId },
        ...(condition ? { ConditionExpression: condition } : {}),
      }),
    );
  }
}

function withDefaults(item: Record<string, unknown>): IntakeState {
  const state = stripKeys<IntakeState>(item);
  return { ...state, remindersSent: Number(state.remindersSent ?? 0) };
}
