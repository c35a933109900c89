import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DescribeTableCommand, GetItemCommand, PutItemCommand } from '@aws-sdk/client-dynamodb';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { type LocalDynamo, startLocalDynamo, tableSpecFromTemplate } from '../../infra/local/dynamodb';
import { synthTemplate } from '../../infra/synth';

describe('local DynamoDB (dynalite)', () => {
  let template: Record<string, any>;
  let dir: string;
  let db: LocalDynamo | undefined;

  beforeAll(() => {
    template = synthTemplate();
    dir = mkdtempSync(join(tmpdir(), 'baocao-ddb-'));
  });
  afterEach(async () => {
    await db?.stop();
    db = undefined;
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('creates the table with the keys and indexes of the synthesized template', async () => {
    const cfn = Object.values<any>(template.Resources).find((r) => r.Type === 'AWS::DynamoDB::Table').Properties;
    db = await startLocalDynamo({ table: tableSpecFromTemplate(template) });

    const { Table } = await db.client.send(new DescribeTableCommand({ TableName: db.tableName }));

    expect(Table?.TableStatus).toBe('ACTIVE');
    expect(Table?.KeySchema).toEqual(cfn.KeySchema);
    expect(new Set(Table?.AttributeDefinitions)).toEqual(new Set(cfn.AttributeDefinitions));
    expect((Table?.GlobalSecondaryIndexes ?? []).map((g) => [g.IndexName, g.KeySchema])).toEqual(
      (cfn.GlobalSecondaryIndexes ?? []).map((g: any) => [g.IndexName, g.KeySchema]),
    );
  });

  it('keeps items across a restart on the same folder', async () => {
    const table = tableSpecFromTemplate(template);
    const key = Object.fromEntries(
      table.KeySchema!.map((k) => {
        const type = table.AttributeDefinitions!.find((a) => a.AttributeName === k.AttributeName)!.AttributeType!;
        return [k.AttributeName, type === 'N' ? { N: '1' } : { S: `TEST#${k.AttributeName}` }];
      }),
    );
    db = await startLocalDynamo({ path: join(dir, 'dynamodb'), table });
    await db.client.send(new PutItemCommand({ TableName: db.tableName, Item: { ...key, note: { S: 'Sở Công Thương' } } }));
    await db.stop();

    db = await startLocalDynamo({ path: join(dir, 'dynamodb'), table });
    const { Item } = await db.client.send(new GetItemCommand({ TableName: db.tableName, Key: key }));

    expect(Item?.note).toEqual({ S: 'Sở Công Thương' });
  });
});

describe('tableSpecFromTemplate', () => {
  it('maps PAY_PER_REQUEST tables without throughput and names CDK-generated tables locally', () => {
    const spec = tableSpecFromTemplate({
      Resources: {
        T: {
          Type: 'AWS::DynamoDB::Table',
          Properties: {
            BillingMode: 'PAY_PER_REQUEST',
            KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
            AttributeDefinitions: [
              { AttributeName: 'pk', AttributeType: 'S' },
              { AttributeName: 'g', AttributeType: 'S' },
            ],
            GlobalSecondaryIndexes: [
              { IndexName: 'byG', KeySchema: [{ AttributeName: 'g', KeyType: 'HASH' }], Projection: { ProjectionType: 'ALL' } },
            ],
            PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
          },
        },
      },
    });
    expect(spec).toEqual({
      TableName: 'baocao-local',
      BillingMode: 'PAY_PER_REQUEST',
      KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
      AttributeDefinitions: [
        { AttributeName: 'pk', AttributeType: 'S' },
        { AttributeName: 'g', AttributeType: 'S' },
      ],
      GlobalSecondaryIndexes: [
        { IndexName: 'byG', KeySchema: [{ AttributeName: 'g', KeyType: 'HASH' }], Projection: { ProjectionType: 'ALL' } },
      ],
    });
  });
});
