/**
 * Lambda handlers run in-process: the handler module of a Task, a minimal Lambda context, and a
 * thrown error reported the way AWS reports a failed Lambda invoke.
 */

import { randomUUID } from 'node:crypto';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { LOCAL_ACCOUNT, LOCAL_PARTITION, LOCAL_REGION } from '../aws-identity';

/** A minimal Lambda context object for handlers that read it. */
export interface LocalLambdaContext {
  functionName: string;
  functionVersion: string;
  invokedFunctionArn: string;
  memoryLimitInMB: string;
  awsRequestId: string;
  logGroupName: string;
  logStreamName: string;
  callbackWaitsForEmptyEventLoop: boolean;
  getRemainingTimeInMillis(): number;
  done(): void;
  fail(): void;
  succeed(): void;
}

/**
 * A Lambda handler as the runtime calls it. Each handler types its own event (zod-parsed), so the
 * runtime can only pass what it has; `never` would make every handler unassignable.
 */
// biome-ignore lint/suspicious/noExplicitAny: handlers declare their own event types; the runtime passes JSON it cannot type.
export type LambdaHandler = (event: any, context?: LocalLambdaContext) => unknown;

/** An error with an AWS error code as `name` (what the SDK shows as `__type` / `err.name`). */
export class LocalSfnError extends Error {
  constructor(name: string, message: string) {
    super(message);
    this.name = name;
  }
}

const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
const handlerCache = new Map<string, Promise<LambdaHandler>>();

/**
 * Import `functions/<name>.ts` lazily and once, so it reads `process.env` as set by the runtime
 * (handlers read their configuration at module load).
 */
export function importFunctionHandler(name: string): Promise<LambdaHandler> {
  if (!/^[a-z0-9-]+$/.test(name)) return Promise.reject(new Error(`Invalid handler name: ${name}`));
  let p = handlerCache.get(name);
  if (!p) {
    const url = pathToFileURL(join(REPO_ROOT, 'functions', `${name}.ts`)).href;
    p = import(url).then((m: { handler?: unknown }) => {
      if (typeof m.handler !== 'function') throw new Error(`functions/${name}.ts does not export handler`);
      return m.handler as LambdaHandler;
    });
    p.catch(() => handlerCache.delete(name)); // let a fixed module be retried
    handlerCache.set(name, p);
  }
  return p;
}

export function lambdaContext(functionName: string, timeoutMs = 900_000): LocalLambdaContext {
  const deadline = Date.now() + timeoutMs;
  return {
    functionName,
    functionVersion: '$LATEST',
    invokedFunctionArn: `arn:${LOCAL_PARTITION}:lambda:${LOCAL_REGION}:${LOCAL_ACCOUNT}:function:${functionName}`,
    memoryLimitInMB: '1024',
    awsRequestId: randomUUID(),
    logGroupName: `/aws/lambda/${functionName}`,
    logStreamName: 'local',
    callbackWaitsForEmptyEventLoop: true,
    getRemainingTimeInMillis: () => Math.max(0, deadline - Date.now()),
    done() {},
    fail() {},
    succeed() {},
  };
}

/** How AWS reports a failed Lambda invoke: Error = errorType, Cause = the JSON error document. */
export function lambdaError(err: unknown): LocalSfnError {
  const e = err instanceof Error ? err : new Error(String(err));
  const errorType = e.name || 'Error';
  const cause = JSON.stringify({ errorType, errorMessage: e.message, trace: (e.stack ?? '').split('\n') });
  return new LocalSfnError(errorType, cause);
}
