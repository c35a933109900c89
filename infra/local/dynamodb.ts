import { mkdirSync } from 'node:fs';
import type { Server } from 'node:http';
import { createRequire } from 'node:module';
import {
  type AttributeDefinition,
  CreateTableCommand,
  type CreateTableCommandInput,
  DescribeTableCommand,
  DynamoDBClient,
  type GlobalSecondaryIndex,
  type KeySchemaElement,
  type LocalSecondaryIndex,
  type ProvisionedThroughput,
  ResourceNotFoundException,
} from '@aws-sdk/client-dynamodb';
import type { CfnTemplate } from '../cfn-template';
import { LOCAL_CREDENTIALS, LOCAL_REGION } from './aws-identity';
import { closeServer, listen, urlOf } from './ports';

// dynalite is CommonJS without types.
const require = createRequire(import.meta.url);
const dynalite = require('dynalite') as (opts: {
  path?: string;
  createTableMs?: number;
  deleteTableMs?: number;
  updateTableMs?: number;
}) => Server;

/** The CloudFormation properties of AWS::DynamoDB::Table that CreateTable shares (same names). */
interface TableProperties {
  TableName?: unknown;
  KeySchema?: KeySchemaElement[];
  AttributeDefinitions?: AttributeDefinition[];
  BillingMode?: string;
  ProvisionedThroughput?: ProvisionedThroughput;
  GlobalSecondaryIndexes?: Array<GlobalSecondaryIndex & { ProvisionedThroughput?: ProvisionedThroughput }>;
  LocalSecondaryIndexes?: LocalSecondaryIndex[];
}

/**
 * Turn the synthesized `AWS::DynamoDB::Table` into a CreateTable request for dynalite.
 * CloudFormation property names match the API except a few; unknown extras are dropped.
 */
export function tableSpecFromTemplate(template: CfnTemplate, fallbackName = 'baocao-local'): CreateTableCommandInput {
  const tables = Object.entries(template.Resources ?? {}).filter(([, r]) => r.Type === 'AWS::DynamoDB::Table');
  if (tables.length === 0) throw new Error('The synthesized template has no AWS::DynamoDB::Table');
  if (tables.length > 1) throw new Error(`Expected one AWS::DynamoDB::Table, found ${tables.map(([id]) => id).join(', ')}`);
  // Synthesized by CDK from typed props: the shape is CloudFormation's, not checked again here.
  const p: TableProperties = tables[0][1].Properties ?? {};
  const payPerRequest = p.BillingMode === 'PAY_PER_REQUEST' || !p.ProvisionedThroughput;
  const gsis = (p.GlobalSecondaryIndexes ?? []).map((g) => ({
    IndexName: g.IndexName,
    KeySchema: g.KeySchema,
    Projection: g.Projection,
    ...(payPerRequest ? {} : { ProvisionedThroughput: g.ProvisionedThroughput ?? { ReadCapacityUnits: 5, WriteCapacityUnits: 5 } }),
  }));
  const lsis = (p.LocalSecondaryIndexes ?? []).map((l) => ({
    IndexName: l.IndexName,
    KeySchema: l.KeySchema,
    Projection: l.Projection,
  }));
  return {
    // A CDK-generated name is not a plain string (or absent): use a stable local one.
    TableName: typeof p.TableName === 'string' ? p.TableName : fallbackName,
    KeySchema: p.KeySchema,
    AttributeDefinitions: p.AttributeDefinitions,
    ...(payPerRequest
      ? { BillingMode: 'PAY_PER_REQUEST' }
      : { BillingMode: 'PROVISIONED', ProvisionedThroughput: p.ProvisionedThroughput }),
    ...(gsis.length ? { GlobalSecondaryIndexes: gsis } : {}),
    ...(lsis.length ? { LocalSecondaryIndexes: lsis } : {}),
  };
}

export interface LocalDynamo {
  url: string;
  port: number;
  tableName: string;
  client: DynamoDBClient;
  stop(): Promise<void>;
}

/** Start dynalite on loopback (LevelDB under `path`, memory when absent) and create the table once. */
export async function startLocalDynamo(opts: {
  path?: string;
  table: CreateTableCommandInput;
  port?: number;
  log?: (line: string) => void;
}): Promise<LocalDynamo> {
  if (opts.path) mkdirSync(opts.path, { recursive: true });
  const server = dynalite({ path: opts.path, createTableMs: 0, deleteTableMs: 0, updateTableMs: 0 });
  const port = await listen(server, opts.port ?? 0);
  const url = urlOf(port);
  const client = new DynamoDBClient({ endpoint: url, region: LOCAL_REGION, credentials: LOCAL_CREDENTIALS });
  const tableName = opts.table.TableName!;
  try {
    await client.send(new DescribeTableCommand({ TableName: tableName }));
    opts.log?.(`DynamoDB: dùng lại bảng ${tableName}`);
  } catch (err) {
    if (!(err instanceof ResourceNotFoundException)) throw err;
    await client.send(new CreateTableCommand(opts.table));
    opts.log?.(`DynamoDB: đã tạo bảng ${tableName}`);
  }
  // Even with createTableMs 0 dynalite activates the table asynchronously: wait for ACTIVE.
  for (let i = 0; ; i++) {
    try {
      const { Table } = await client.send(new DescribeTableCommand({ TableName: tableName }));
      if (Table?.TableStatus === 'ACTIVE') break;
    } catch (err) {
      if (!(err instanceof ResourceNotFoundException)) throw err;
    }
    if (i > 500) throw new Error(`DynamoDB: bảng ${tableName} không sẵn sàng`);
    await new Promise((r) => setTimeout(r, 10));
  }
  let stopped = false;
  return {
    url,
    port,
    tableName,
    client,
    async stop() {
      if (stopped) return;
      stopped = true;
      client.destroy();
      await closeServer(server);
    },
  };
}
