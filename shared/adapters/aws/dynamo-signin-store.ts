import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { DeleteCommand, GetCommand, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { SigninRecord, SigninStore } from '../../features/signin/ports';
import { DynamoTable, stripKeys, ttlAfter } from './dynamo-table';

/** SIGNIN#<sha256(secret)> / AUTH — the compiler's sign-in links and sessions (hashes only). */
export class DynamoSigninStore extends DynamoTable implements SigninStore {
  async put(hash: string, rec: SigninRecord): Promise<void> {
    await this.doc.send(
      new PutCommand({ TableName: this.table, Item: { pk: `SIGNIN#${hash}`, sk: 'AUTH', ...rec, ttl: ttlAfter(rec.expiresAt) } }),
    );
  }

  async get(hash: string): Promise<SigninRecord | undefined> {
    const res = await this.doc.send(
      new GetCommand({ TableName: this.table, Key: { pk: `SIGNIN#${hash}`, sk: 'AUTH' }, ConsistentRead: true }),
    );
    return res.Item ? stripKeys<SigninRecord>(res.Item) : undefined;
  }

  async consume(hash: string): Promise<boolean> {
    return this.consumePending({ pk: `SIGNIN#${hash}`, sk: 'AUTH' });
  }

  async remove(hash: string): Promise<void> {
    await this.doc.send(new DeleteCommand({ TableName: this.table, Key: { pk: `SIGNIN#${hash}`, sk: 'AUTH' } }));
  }

  /** SIGNIN#RATE#<bucket> / <window start> — one conditional counter per window; `ttl` lets DynamoDB drop it. */
  async countAttempt(bucket: string, window: { start: string; end: string }, limit: number): Promise<boolean> {
    try {
      await this.doc.send(
        new UpdateCommand({
          TableName: this.table,
          Key: { pk: `SIGNIN#RATE#${bucket}`, sk: window.start },
          UpdateExpression: 'ADD #n :one SET #t = :ttl, expiresAt = :end',
          ConditionExpression: 'attribute_not_exists(#n) OR #n < :limit',
          ExpressionAttributeNames: { '#n': 'attempts', '#t': 'ttl' },
          ExpressionAttributeValues: {
            ':one': 1,
            ':limit': limit,
            ':end': window.end,
            ':ttl': ttlAfter(window.end),
          },
        }),
      );
      return true;
    } catch (err) {
      if (err instanceof ConditionalCheckFailedException) return false;
      throw err;
    }
  }
}
