import { randomUUID } from 'node:crypto';
import { mkdirSync, mkdtempSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { organization } from '../../shared/config';
import bundledOrganizationDocument from '../../shared/config/organization.json' with { type: 'json' };
import { MAX_SIGNING_MATERIAL_BODY_BYTES } from '../../shared/features/signing/material-routes';
import { synthTemplate } from '../synth';
import { LOCAL_CREDENTIALS, LOCAL_REGION } from './aws-identity';
import { extractStateMachine } from './definition';
import { startLocalDynamo, tableSpecFromTemplate } from './dynamodb';
import { startHttpApi } from './http-api';
import { type Inbox, startMailCatcher } from './mail-catcher';
import { newOperatorToken, signinUrl, writeOperatorToken } from './operator';
import { LOOPBACK, preferPort } from './ports';
import { resumeWaitingReports } from './resume';
import { objectKeyMatcherFromTemplate, startLocalS3 } from './s3';
import { type SampleLoader, sampleLoader } from './sample-year';
import { importFunctionHandler, type LambdaHandler, LocalStepFunctions, lambdaContext, startSfnEndpoint } from './sfn';
import { type LocalSqs, queueSpecsFromTemplate, startLocalSqs } from './sqs';

export type { Inbox, Message } from './mail-catcher';
export type { ExecutionRecord, LocalStepFunctions } from './sfn';

export interface LocalRuntimeOptions {
  /** Organization documents seeded when the table has no organization yet (with the bundled one unless one of them has its id). */
  organizations?: unknown[];
  /** Folder for all local state (dynamodb/, s3/, inbox.jsonl, executions.json); undefined = in memory, fresh. */
  stateDir?: string;
  /** HTTP API port; 0 or undefined = a free port. */
  port?: number;
  /** Host of the HTTP API; default 127.0.0.1 (other services are always on 127.0.0.1). */
  host?: string;
  log?: (line: string) => void;
  /** Accelerate the calendar of human waits: divide the timeouts of `.waitForTaskToken` tasks (and of the execution) by this, e.g. to fire a 48 h approval timeout in a test; default 1. */
  timeScale?: number;
  /**
   * On start, give every open report (compiling, awaiting approval, returned) whose execution is
   * not running a new execution that continues from its record; default true.
   */
  resumeOnStart?: boolean;
  /** Tests only: the endpoint the handlers get for a service, given its real URL (e.g. a fault-injecting proxy in front of it). */
  wrapEndpoint?: (service: 'dynamodb' | 's3', url: string) => string | Promise<string>;
  /**
   * The upload reconciler (functions/reconcile-uploads.ts) runs at start-up and then every this
   * many ms: raw/ objects without an outcome (a kill -9 mid-ingest, a lost event) are ingested.
   * Default 30 000; 0 = at start-up only.
   */
  reconcileIntervalMs?: number;
  /**
   * Called after every handler invocation with the function's name, its wall time and whether it
   * threw (the cost model's measured run counts invocations with it: infra/cost/measure.ts).
   */
  onInvoke?: (name: string, ms: number, failed: boolean) => void;
}

export interface LocalRuntime {
  urls: { api: string; dynamodb: string; s3: string; sfn: string; smtp: string; sqs: string };
  /**
   * This start's operator token (operator.ts): `Authorization: Bearer <token>` on /api, operator
   * pages and /_local/; also in process.env.BAOCAO_OPERATOR_TOKEN (the in-process BaocaoClient
   * reads it) and, with a state folder, in <stateDir>/operator-token (mode 0600, the CLI reads it).
   */
  operatorToken: string;
  /** Opens a browser session for the operator: sets the operator cookie and goes to the home page. */
  signinUrl: string;
  /** What was assigned to process.env for the handlers. */
  env: Record<string, string>;
  inbox: Inbox;
  sfn: LocalStepFunctions;
  /** The sample year's loader (first run: the home page's button, `npm start -- --sample`). */
  sample: SampleLoader;
  /** The local queues (invite fan-out): what was received, retried and dead-lettered. */
  sqs: LocalSqs;
  /** Resolves when every ingest started by an S3 upload so far, and a reconcile under way, has finished. */
  idle(): Promise<void>;
  /** Reports resumed on start (resumeOnStart). */
  resumed: string[];
  /** Runs the upload reconciler now (what start-up and the periodic timer do). */
  reconcile(): Promise<void>;
  stop(): Promise<void>;
}

/**
 * Handler modules (and the SDK clients they cache) are loaded once per process. When a runtime is
 * stopped and started again in the same process (tests, restarts), they still point at the old
 * endpoints: so every service re-binds the port this process used before when it is free.
 */
const previousPorts: Partial<Record<keyof LocalRuntime['urls'], number>> = {};

export const LOCAL_BUCKET = 'baocao-local';
/** Released reports (ARCHIVE_BUCKET_NAME); no Object Lock locally (infra/local/departures.ts). */
export const LOCAL_ARCHIVE_BUCKET = 'baocao-local-archive';
export const LOCAL_STATE_MACHINE = 'baocao-local';

/**
 * Start the whole product on embedded services: dynalite, s3rver, an SMTP catcher, the
 * synthesized state machine on aws-local-stepfunctions with an SFN endpoint, and the HTTP API
 * in front of the `api` handler. All on loopback. Handlers are imported lazily, after
 * process.env has been set, and unchanged: they find the services via AWS_ENDPOINT_URL_*.
 */
export async function startLocalRuntime(opts: LocalRuntimeOptions = {}): Promise<LocalRuntime> {
  const log = opts.log ?? (() => undefined);
  const stateDir = opts.stateDir ? resolve(opts.stateDir) : undefined;
  if (stateDir) mkdirSync(stateDir, { recursive: true });

  const template = synthTemplate();
  // Every handler this runtime invokes goes through here (and through onInvoke when given).
  const onInvoke = opts.onInvoke;
  const handlerOf = async (name: string): Promise<LambdaHandler> => {
    const h = await importFunctionHandler(name);
    if (!onInvoke) return h;
    return async (event, context) => {
      const t = performance.now();
      let failed = false;
      try {
        return await h(event, context);
      } catch (err) {
        failed = true;
        throw err;
      } finally {
        onInvoke(name, performance.now() - t, failed);
      }
    };
  };
  // The local test CA and its pending signing requests: kept with the rest of the state (npm start: .baocao/signing).
  const signingDir = stateDir ? join(stateDir, 'signing') : mkdtempSync(join(tmpdir(), 'baocao-signing-'));
  const { definition, tasks } = extractStateMachine(template);

  const stops: Array<() => Promise<void>> = [];
  if (!stateDir) stops.push(() => rm(signingDir, { recursive: true, force: true }));
  const stopAll = async () => {
    for (const stop of stops.reverse()) {
      try {
        await stop();
      } catch (err) {
        log(`Lỗi khi dừng: ${(err as Error)?.message ?? err}`);
      }
    }
  };

  // The API may accept a connection before process.env is complete: hold handler loading until then.
  let markReady!: () => void;
  const ready = new Promise<void>((r) => (markReady = r));
  // Pages wait until waiting reports were resumed: a report page must not judge a report by its aborted execution.
  let markResumed!: () => void;
  const resumedGate = new Promise<void>((r) => (markResumed = r));

  try {
    const dynamo = await startLocalDynamo({
      path: stateDir && join(stateDir, 'dynamodb'),
      table: tableSpecFromTemplate(template),
      port: await preferPort(previousPorts.dynamodb),
      log,
    });
    stops.push(() => dynamo.stop());

    const s3 = await startLocalS3({
      directory: stateDir && join(stateDir, 's3'),
      bucket: LOCAL_BUCKET,
      extraBuckets: [LOCAL_ARCHIVE_BUCKET],
      port: await preferPort(previousPorts.s3),
      keyMatches: objectKeyMatcherFromTemplate(template),
      log,
      onObjectCreated: async (event) => {
        await ready;
        const ingest = await handlerOf('ingest');
        await ingest(event, lambdaContext('ingest'));
      },
    });
    stops.push(() => s3.stop());

    const mail = await startMailCatcher({
      file: stateDir && join(stateDir, 'inbox.jsonl'),
      port: await preferPort(previousPorts.smtp),
      log,
    });
    stops.push(() => mail.stop());

    const sfn = new LocalStepFunctions({
      definition,
      tasks,
      stateFile: stateDir && join(stateDir, 'executions.json'),
      stateMachineName: LOCAL_STATE_MACHINE,
      timeScale: opts.timeScale,
      log,
      resolveHandler: async (name) => {
        await ready;
        return handlerOf(name);
      },
    });
    stops.push(() => sfn.close());
    const sfnEndpoint = await startSfnEndpoint(sfn, { port: await preferPort(previousPorts.sfn), log });
    stops.push(() => sfnEndpoint.stop());

    // Queues the template feeds to functions (the invite fan-out), with the template's settings.
    const sqs = await startLocalSqs({
      specs: queueSpecsFromTemplate(template),
      timeScale: opts.timeScale,
      port: await preferPort(previousPorts.sqs),
      log,
      context: (name) => lambdaContext(name),
      resolveHandler: async (name) => {
        await ready;
        return handlerOf(name);
      },
    });
    stops.push(() => sqs.stop());

    const operatorToken = newOperatorToken();
    if (stateDir) writeOperatorToken(stateDir, operatorToken);
    let apiUrl = '';
    // First run: the home page of an empty system offers the sample year (POST /_local/sample).
    const sample = sampleLoader(() => apiUrl, log);
    const api = await startHttpApi({
      operatorToken,
      sample,
      port: opts.port || (await preferPort(previousPorts.api, opts.host ?? LOOPBACK)),
      host: opts.host ?? LOOPBACK,
      inbox: mail.inbox,
      executions: () => sfn.listExecutions(),
      log,
      // The api function refuses anything above 256 KB itself, except signing images (1.5 MB) under /api.
      maxBodyBytes: MAX_SIGNING_MATERIAL_BODY_BYTES,
      phone: async () => {
        await ready;
        const { localProvider } = await import('../../shared/adapters/signing/keys');
        return localProvider(signingDir);
      },
      resolveHandler: async () => {
        await ready;
        await resumedGate;
        return handlerOf('api');
      },
    });
    stops.push(() => api.stop());
    apiUrl = api.url;

    const wrap = opts.wrapEndpoint ?? ((_service, url) => url);
    const env: Record<string, string> = {
      AWS_REGION: LOCAL_REGION,
      AWS_ACCESS_KEY_ID: LOCAL_CREDENTIALS.accessKeyId,
      AWS_SECRET_ACCESS_KEY: LOCAL_CREDENTIALS.secretAccessKey,
      AWS_ENDPOINT_URL_DYNAMODB: await wrap('dynamodb', dynamo.url),
      AWS_ENDPOINT_URL_S3: await wrap('s3', s3.url),
      AWS_ENDPOINT_URL_SFN: sfnEndpoint.url,
      TABLE_NAME: dynamo.tableName,
      BUCKET_NAME: LOCAL_BUCKET,
      ARCHIVE_BUCKET_NAME: LOCAL_ARCHIVE_BUCKET,
      STATE_MACHINE_ARN: sfn.stateMachineArn,
      ...sqs.env,
      MAIL_TRANSPORT: 'smtp',
      SMTP_URL: mail.url,
      MAIL_FROM: organization.mailFrom,
      PUBLIC_BASE_URL: api.url,
      BAOCAO_LOCAL: '1',
      BAOCAO_SIGNING_DIR: signingDir,
      // Owner of this instance's ingest claims: a later instance knows any other owner is dead.
      BAOCAO_INSTANCE: `local-${randomUUID()}`,
      // Not read by any handler (the HTTP API checks the token): for an in-process BaocaoClient.
      BAOCAO_OPERATOR_TOKEN: operatorToken,
    };
    // A session token from the developer's shell would be sent with the fake keys: drop it.
    delete process.env.AWS_SESSION_TOKEN;
    Object.assign(process.env, env);
    // Organizations are data: the table gets the bundled one (and any the caller adds) when it has none.
    const { platformDeps } = await import('../../shared/adapters/wiring');
    const { seedOrganizations } = await import('../../shared/features/organizations/organizations');
    const extra = opts.organizations ?? [];
    const ids = new Set(extra.map((d) => (d as { id?: unknown }).id));
    const seed = ids.has(bundledOrganizationDocument.id) ? extra : [bundledOrganizationDocument, ...extra];
    const seeded = await seedOrganizations(platformDeps(), seed, 'local');
    // A signing organization gets the sample images through the same store as any organization's (ADR 0048).
    const { seedSampleSigningImages } = await import('./signing');
    await seedSampleSigningImages(platformDeps(), seeded, seed);
    markReady();
    const resumed =
      opts.resumeOnStart === false
        ? []
        : await resumeWaitingReports(sfn, log).catch((err: unknown) => {
            log(`Không tiếp tục được các báo cáo đang chờ: ${(err as Error)?.message ?? err}`);
            return [] as string[];
          });
    markResumed();

    Object.assign(previousPorts, {
      api: api.port,
      dynamodb: dynamo.port,
      s3: s3.port,
      sfn: sfnEndpoint.port,
      smtp: mail.port,
      sqs: Number(new URL(sqs.url).port),
    });

    // Nothing S3 accepted is lost: at start-up (uploads a killed process left) and periodically.
    // Only one local runtime uses a state folder, so claims of any other instance are dead.
    let reconciling: Promise<void> | undefined;
    const reconcile = () =>
      (reconciling ??= handlerOf('reconcile-uploads')
        .then((h) => h({ takeOverOtherOwners: true }, lambdaContext('reconcile-uploads')))
        .then(
          () => undefined,
          (err) => log(`Đối soát tệp tải lên chưa xong: ${(err as Error)?.message ?? err}`),
        )
        .finally(() => {
          reconciling = undefined;
        }));
    void reconcile();
    const every = opts.reconcileIntervalMs ?? 30_000;
    const timer = every > 0 ? setInterval(() => void reconcile(), every) : undefined;
    timer?.unref();
    stops.push(async () => {
      clearInterval(timer);
      await reconciling;
    });

    let stopping: Promise<void> | undefined;
    return {
      urls: { api: api.url, dynamodb: dynamo.url, s3: s3.url, sfn: sfnEndpoint.url, smtp: mail.url, sqs: sqs.url },
      operatorToken,
      signinUrl: signinUrl(api.url, operatorToken),
      env,
      inbox: mail.inbox,
      sfn,
      sqs,
      idle: async () => {
        await s3.idle();
        await reconciling;
        await sqs.idle();
      },
      reconcile: async () => {
        await reconciling;
        await reconcile();
      },
      resumed,
      sample,
      // Let uploads already being ingested finish while their services are still up.
      stop: () => (stopping ??= s3.idle().then(stopAll)),
    };
  } catch (err) {
    await stopAll();
    throw err;
  }
}
