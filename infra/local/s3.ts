import { randomUUID } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { CfnTemplate } from '../cfn-template';
import { LOCAL_ACCOUNT, LOCAL_CREDENTIALS, LOCAL_REGION } from './aws-identity';
import { LOOPBACK, urlOf } from './ports';
import { type S3Gate, startS3Gate } from './s3-gate';

const require = createRequire(import.meta.url);
// s3rver is CommonJS without types; only the bits we use are typed here.
type S3rverInstance = {
  run(): Promise<{ port: number; address: string }>;
  close(): Promise<void>;
  httpServer?: import('node:http').Server;
  on(event: 'event', listener: (e: S3rverEvent) => void): void;
};
const S3rver = require('s3rver') as new (opts: Record<string, unknown>) => S3rverInstance;

/** The S3 notification record s3rver emits (AWS "S3 event" shape; the key is NOT URL-encoded). */
export interface S3rverRecord {
  eventName: string;
  eventTime: string;
  requestParameters?: { sourceIPAddress?: string };
  responseElements?: Record<string, string>;
  s3: { bucket: { name: string }; object: { key: string; size?: number; eTag?: string; sequencer?: string } };
}
export interface S3rverEvent {
  Records: S3rverRecord[];
}

/** The EventBridge event AWS sends for an S3 "Object Created" notification. */
export interface S3EventBridgeEvent {
  version: '0';
  id: string;
  'detail-type': 'Object Created';
  source: 'aws.s3';
  account: string;
  time: string;
  region: string;
  resources: string[];
  detail: {
    version: '0';
    bucket: { name: string };
    object: { key: string; size: number; etag: string; sequencer: string };
    'request-id': string;
    requester: string;
    'source-ip-address': string;
    reason: 'PutObject' | 'PostObject' | 'CopyObject';
  };
}

/** Build the EventBridge event AWS would deliver for one s3rver ObjectCreated record. */
export function buildS3EventBridgeEvent(
  record: S3rverRecord,
  opts: { account?: string; region?: string; id?: string } = {},
): S3EventBridgeEvent {
  const account = opts.account ?? LOCAL_ACCOUNT;
  const bucket = record.s3.bucket.name;
  const obj = record.s3.object;
  const reason = record.eventName.endsWith(':Post') ? 'PostObject' : record.eventName.endsWith(':Copy') ? 'CopyObject' : 'PutObject';
  return {
    version: '0',
    id: opts.id ?? randomUUID(),
    'detail-type': 'Object Created',
    source: 'aws.s3',
    account,
    time: new Date(record.eventTime ?? Date.now()).toISOString().replace(/\.\d{3}Z$/, 'Z'),
    region: opts.region ?? LOCAL_REGION,
    resources: [`arn:aws:s3:::${bucket}`],
    detail: {
      version: '0',
      bucket: { name: bucket },
      object: {
        // s3rver 3.7.1 emits the raw key (checked for PUT and POST with spaces, '+', '%', Vietnamese),
        // unlike AWS S3 notifications: decoding it again would corrupt keys containing '+' or '%'.
        key: obj.key,
        size: Number(obj.size ?? 0),
        etag: obj.eTag ?? '',
        sequencer: obj.sequencer ?? Date.now().toString(16).toUpperCase(),
      },
      'request-id': record.responseElements?.['x-amz-request-id'] ?? randomUUID(),
      requester: account,
      'source-ip-address': record.requestParameters?.sourceIPAddress ?? LOOPBACK,
      reason,
    },
  };
}

/** The part of an AWS::Events::Rule's properties the key filter is read from. */
interface RuleProperties {
  EventPattern?: { source?: unknown; detail?: { object?: { key?: unknown[] } } };
}

/**
 * Key filter of the synthesized S3 → EventBridge rule (`detail.object.key`), as a predicate.
 * Supports the EventBridge forms CDK emits here: exact strings, `{ prefix }`, `{ suffix }`.
 * Without such a rule, the product convention `raw/` applies.
 */
export function objectKeyMatcherFromTemplate(template: CfnTemplate): (key: string) => boolean {
  const rules = Object.values(template.Resources ?? {})
    .filter((r) => r.Type === 'AWS::Events::Rule')
    .map((r): RuleProperties => r.Properties ?? {})
    .filter((p) => JSON.stringify(p.EventPattern?.source ?? []).includes('aws.s3'));
  const filters = rules.flatMap((p) => p.EventPattern?.detail?.object?.key ?? []);
  if (rules.length === 0) return (key) => key.startsWith('raw/');
  if (filters.length === 0) return () => true;
  return (key) =>
    filters.some((f: unknown) => {
      if (typeof f === 'string') return key === f;
      const o = f as { prefix?: string; suffix?: string };
      if (typeof o.prefix === 'string') return key.startsWith(o.prefix);
      if (typeof o.suffix === 'string') return key.endsWith(o.suffix);
      return false;
    });
}

/** Lets a browser page on another loopback port POST a file straight to the bucket. */
export const LOCAL_CORS_XML = `<?xml version="1.0" encoding="UTF-8"?>
<CORSConfiguration xmlns="http://s3.amazonaws.com/doc/2006-03-01/">
  <CORSRule>
    <AllowedOrigin>*</AllowedOrigin>
    <AllowedMethod>GET</AllowedMethod>
    <AllowedMethod>PUT</AllowedMethod>
    <AllowedMethod>POST</AllowedMethod>
    <AllowedMethod>HEAD</AllowedMethod>
    <AllowedHeader>*</AllowedHeader>
    <ExposeHeader>ETag</ExposeHeader>
    <MaxAgeSeconds>3000</MaxAgeSeconds>
  </CORSRule>
</CORSConfiguration>`;

export interface LocalS3 {
  url: string;
  port: number;
  bucket: string;
  /** Resolves when every ObjectCreated hook started so far has settled. */
  idle(): Promise<void>;
  stop(): Promise<void>;
}

export interface LocalS3Options {
  /** Persistent folder; undefined = a temp folder removed on stop. */
  directory?: string;
  bucket: string;
  /** Which keys produce an event (the EventBridge rule's key filter). */
  keyMatches?: (key: string) => boolean;
  /** Called once per matching ObjectCreated with the EventBridge event; errors are logged, never thrown. */
  onObjectCreated?: (event: S3EventBridgeEvent) => Promise<unknown> | unknown;
  /** 0 or undefined = a free port. */
  port?: number;
  log?: (line: string) => void;
  /** Tests only: the clock signatures and policies are checked against. */
  now?: () => Date;
}

const OBJECT_SUFFIX = '._S3rver_object';

/**
 * A kill -9 during a PUT/POST can leave s3rver's files half written (an object without its
 * metadata, or truncated metadata JSON, which makes every listing of the prefix fail). Such a
 * write was never answered, so S3 never accepted it (AWS writes are atomic): remove its files
 * before s3rver starts. Returns the keys' files removed.
 */
export function repairInterruptedWrites(directory: string): string[] {
  const removed: string[] = [];
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) walk(path);
      else if (entry.name.endsWith(OBJECT_SUFFIX)) {
        const base = path.slice(0, -OBJECT_SUFFIX.length);
        const meta = `${base}._S3rver_metadata.json`;
        let complete = existsSync(meta);
        try {
          if (complete) JSON.parse(readFileSync(meta, 'utf8'));
        } catch {
          complete = false;
        }
        if (!complete) {
          for (const f of [path, `${path}.md5`, meta]) rmSync(f, { force: true });
          removed.push(path);
        }
      }
    }
  };
  if (existsSync(directory)) walk(directory);
  return removed;
}

export async function startLocalS3(opts: LocalS3Options): Promise<LocalS3> {
  const temp = opts.directory === undefined;
  const directory = opts.directory ?? mkdtempSync(join(tmpdir(), 'baocao-s3-'));
  mkdirSync(directory, { recursive: true });
  for (const file of repairInterruptedWrites(directory)) opts.log?.(`S3: bỏ tệp ghi dở khi hệ thống dừng đột ngột: ${file}`);
  const server = new S3rver({
    address: LOOPBACK,
    port: 0, // behind the gate: only the gate's port is published
    silent: true,
    directory,
    configureBuckets: [{ name: opts.bucket, configs: [LOCAL_CORS_XML] }],
  });
  const keyMatches = opts.keyMatches ?? ((key: string) => key.startsWith('raw/'));
  const inFlight = new Set<Promise<void>>();

  server.on('event', (e) => {
    for (const record of e.Records ?? []) {
      if (!record.eventName?.startsWith('ObjectCreated:')) continue;
      const event = buildS3EventBridgeEvent(record);
      if (!keyMatches(event.detail.object.key) || !opts.onObjectCreated) continue;
      const p: Promise<void> = (async () => {
        try {
          await opts.onObjectCreated!(event);
        } catch (err) {
          opts.log?.(`S3: xử lý tệp ${event.detail.object.key} thất bại: ${(err as Error)?.stack ?? err}`);
        }
      })().finally(() => inFlight.delete(p));
      inFlight.add(p);
    }
  });

  const { port: inner } = await server.run();
  let gate: S3Gate;
  try {
    gate = await startS3Gate({
      target: inner,
      bucket: opts.bucket,
      root: directory,
      credentials: LOCAL_CREDENTIALS,
      port: opts.port ?? 0,
      log: opts.log,
      now: opts.now,
    });
  } catch (err) {
    await server.close().catch(() => undefined);
    throw err;
  }
  const port = gate.port;
  let stopped = false;
  return {
    url: urlOf(port),
    port,
    bucket: opts.bucket,
    async idle() {
      while (inFlight.size > 0) await Promise.allSettled([...inFlight]);
    },
    async stop() {
      if (stopped) return;
      stopped = true;
      await gate.stop();
      const closing = server.close().catch(() => undefined);
      server.httpServer?.closeAllConnections(); // keep-alive sockets would delay close
      await closing;
      await Promise.allSettled([...inFlight]);
      if (temp) rmSync(directory, { recursive: true, force: true });
    },
  };
}
