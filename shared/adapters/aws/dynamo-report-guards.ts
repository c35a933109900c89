import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { GetCommand, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { ActiveReportLock, DecisionClaim, DecisionRecord, DecisionStore, ReportRecord, ReportScope } from '../../ports';
import { DynamoTable, stripKeys } from './dynamo-table';

/**
 * The conditional writes that keep reports race-free (issue 10, ADR 0031: single-item conditional
 * writes, no transactions):
 *   REPORT#<o>#<t>#<id> / DECISION#<draft 0001>#<step 01>       the one decision of a step of a draft
 *   ACTIVE#<o>#<template>#<period> / LOCK               the period's active (or released) report
 * plus the report record's own conditional transitions (recompile / abandon / resend).
 */
export abstract class DynamoReportGuards extends DynamoTable implements DecisionStore, ActiveReportLock {
  private decisionKey(reportId: string, draftVersion: number, stepIndex: number) {
    return {
      pk: this.scopedPk('REPORT', reportId),
      sk: `DECISION#${String(draftVersion).padStart(4, '0')}#${String(stepIndex).padStart(2, '0')}`,
    };
  }

  private lockKey(s: ReportScope) {
    // The lock names its own org and template (the scope's report type is the template).
    return { pk: this.scopedPk('ACTIVE', `${s.templateId}#${s.periodId}`, false), sk: 'LOCK' };
  }

  async updateReportIf(
    reportId: string,
    expect: Partial<Pick<ReportRecord, 'status' | 'revisionToken' | 'resentAt' | 'deskToken'>>,
    patch: Partial<ReportRecord>,
  ): Promise<ReportRecord | undefined> {
    const names: Record<string, string> = {};
    const values: Record<string, unknown> = {};
    const sets = Object.entries(patch)
      .filter(([k, v]) => v !== undefined && k !== 'reportId')
      .map(([k, v], i) => {
        names[`#f${i}`] = k;
        values[`:v${i}`] = v;
        return `#f${i} = :v${i}`;
      });
    const conditions = Object.entries(expect).map(([k, v], i) => {
      names[`#e${i}`] = k;
      values[`:e${i}`] = v ?? '';
      return v ? `#e${i} = :e${i}` : `(attribute_not_exists(#e${i}) OR #e${i} = :e${i})`;
    });
    try {
      const res = await this.doc.send(
        new UpdateCommand({
          TableName: this.table,
          Key: { pk: this.scopedPk('REPORT', reportId), sk: 'META' },
          UpdateExpression: `SET ${sets.join(', ')}`,
          ConditionExpression: ['attribute_exists(pk)', ...conditions].join(' AND '),
          ExpressionAttributeNames: names,
          ExpressionAttributeValues: values,
          ReturnValues: 'ALL_NEW',
        }),
      );
      return stripKeys<ReportRecord>(res.Attributes ?? {});
    } catch (err) {
      if (err instanceof ConditionalCheckFailedException) return undefined;
      throw err;
    }
  }

  async claimDecision(claim: DecisionClaim): Promise<{ ok: true } | { ok: false; holder: DecisionClaim }> {
    const key = this.decisionKey(claim.reportId, claim.draftVersion, claim.stepIndex);
    try {
      await this.doc.send(
        new PutCommand({
          TableName: this.table,
          Item: { ...key, ...claim },
          // A void claim (hand-off failed for good) leaves the step open again.
          ConditionExpression: 'attribute_not_exists(pk) OR #st = :void',
          ExpressionAttributeNames: { '#st': 'state' },
          ExpressionAttributeValues: { ':void': 'void' },
        }),
      );
      return { ok: true };
    } catch (err) {
      if (!(err instanceof ConditionalCheckFailedException)) throw err;
      const holder = await this.getDecision(claim.reportId, claim.draftVersion, claim.stepIndex);
      // The holder voided its claim between our write and our read: try once more.
      if (!holder || holder.state === 'void') return this.claimDecision(claim);
      return { ok: false, holder };
    }
  }

  async getDecision(reportId: string, draftVersion: number, stepIndex: number): Promise<DecisionClaim | undefined> {
    const res = await this.doc.send(
      new GetCommand({ TableName: this.table, Key: this.decisionKey(reportId, draftVersion, stepIndex), ConsistentRead: true }),
    );
    return res.Item ? stripKeys<DecisionClaim>(res.Item) : undefined;
  }

  async settleDecision(claim: DecisionClaim, state: 'final' | 'void'): Promise<boolean> {
    try {
      await this.doc.send(
        new UpdateCommand({
          TableName: this.table,
          Key: this.decisionKey(claim.reportId, claim.draftVersion, claim.stepIndex),
          UpdateExpression: 'SET #st = :s',
          ConditionExpression: 'claimId = :c AND #st = :claimed',
          ExpressionAttributeNames: { '#st': 'state' },
          ExpressionAttributeValues: { ':s': state, ':c': claim.claimId, ':claimed': 'claimed' },
        }),
      );
      return true;
    } catch (err) {
      if (err instanceof ConditionalCheckFailedException) return false;
      throw err;
    }
  }

  async appendDecision(reportId: string, record: DecisionRecord): Promise<void> {
    await this.doc.send(
      new UpdateCommand({
        TableName: this.table,
        Key: { pk: this.scopedPk('REPORT', reportId), sk: 'META' },
        UpdateExpression: 'SET decisions = list_append(if_not_exists(decisions, :empty), :d), updatedAt = :t',
        ConditionExpression: 'attribute_exists(pk)',
        ExpressionAttributeValues: { ':d': [record], ':empty': [], ':t': record.decidedAt },
      }),
    );
  }

  async lockActiveReport(
    scope: ReportScope,
    reportId: string,
    replacing?: string,
  ): Promise<{ ok: true } | { ok: false; holder?: string; lockedAt?: string }> {
    const key = this.lockKey(scope);
    try {
      await this.doc.send(
        new PutCommand({
          TableName: this.table,
          Item: { ...key, ...scope, reportId, lockedAt: new Date().toISOString() },
          // A freed lock keeps its item without a holder (no DeleteItem in the functions' policies).
          ConditionExpression: replacing ? 'reportId = :old' : 'attribute_not_exists(reportId)',
          ExpressionAttributeValues: replacing ? { ':old': replacing } : undefined,
        }),
      );
      return { ok: true };
    } catch (err) {
      if (!(err instanceof ConditionalCheckFailedException)) throw err;
      const res = await this.doc.send(new GetCommand({ TableName: this.table, Key: key, ConsistentRead: true }));
      const holder = res.Item?.reportId;
      const lockedAt = res.Item?.lockedAt;
      return {
        ok: false,
        holder: typeof holder === 'string' ? holder : undefined,
        lockedAt: typeof lockedAt === 'string' ? lockedAt : undefined,
      };
    }
  }

  async unlockActiveReport(scope: ReportScope, reportId: string): Promise<void> {
    try {
      await this.doc.send(
        new UpdateCommand({
          TableName: this.table,
          Key: this.lockKey(scope),
          UpdateExpression: 'REMOVE reportId SET releasedBy = :id, releasedAt = :t',
          ConditionExpression: 'reportId = :id',
          ExpressionAttributeValues: { ':id': reportId, ':t': new Date().toISOString() },
        }),
      );
    } catch (err) {
      if (!(err instanceof ConditionalCheckFailedException)) throw err;
    }
  }
}
