import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ArnFormat, Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { type BundlingOptions, type ICommandHooks, NodejsFunction, OutputFormat } from 'aws-cdk-lib/aws-lambda-nodejs';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { clientBuildArgs } from '../../shared/features/intake/web/asset';
import { HANDLER_NAMES, type HandlerName } from './handler-names';
import type { Mail } from './mail';
import { acknowledge, acknowledgeWildcardResources } from './nag';
import { withPdfFonts } from './pdf-fonts';
import type { PrefixName, Storage } from './storage';
import { grantTableAccess, TABLE_ACCESS } from './table-access';

export { HANDLER_NAMES, type HandlerName };

/** Every Lambda handler; each is `functions/<name>.ts` exporting `handler`. */

/**
 * What each function may touch in the bucket and SES. Edit here when a handler needs more;
 * table access per function is in ./table-access.ts (TABLE_ACCESS).
 */
export interface FunctionProfile {
  /** Bucket prefixes it reads (s3:GetObject). */
  readonly read?: readonly PrefixName[];
  /** Bucket prefixes it writes (s3:PutObject; for `api` this backs the presigned POST). */
  readonly write?: readonly PrefixName[];
  /**
   * Released-report archive (Object Lock): `write` puts under released/ (s3:PutObject only: no
   * read, no delete, no retention change), `read` presigns downloads (s3:GetObject). Sets
   * ARCHIVE_BUCKET_NAME; every released/ key is then the archive's (docs/adr/0046-operable-on-aws.md).
   */
  readonly archive?: 'read' | 'write';
  /** Sends mail as the sender identity. */
  readonly sendsMail?: boolean;
  /** Renders documents: more memory and time. */
  readonly heavy?: boolean;
  /** Renders the PDF original or draws signature appearances: its bundle carries the PDF fonts (withPdfFonts, ./pdf-fonts.ts). */
  readonly rendersPdf?: boolean;
  /**
   * Asks a remote signing service for signatures: reads its client credentials from Secrets
   * Manager, only under SIGNING_SECRETS_PREFIX (shared/adapters/signing/csc-secrets.ts).
   */
  readonly remoteSigning?: boolean;
}

/** Secrets Manager names of remote signing credentials: `<prefix><secretName of the organization's provider>`. */
export const SIGNING_SECRETS_PREFIX = 'baocao/signing/';

export const FUNCTION_PROFILES: Record<HandlerName, FunctionProfile> = {
  // Tells the clerk whether the upload was accepted; keeps the accepted body under submissions/.
  ingest: { read: ['raw', 'submissions'], write: ['submissions'], sendsMail: true },
  validate: { read: ['raw', 'submissions'] },
  aggregate: { read: ['raw', 'submissions', 'drafts'], write: ['drafts'] },
  'build-docx': { read: ['drafts'], write: ['drafts'], heavy: true },
  'plan-approval': {},
  'request-approval': { read: ['drafts'], sendsMail: true },
  'request-revision': { sendsMail: true },
  // AwaitDesk: keeps the desk's task token on the report and mails the compiler the desk's link.
  'request-desk': { sendsMail: true },
  'record-failure': {},
  // Released files go to the Object Lock archive only (docs/adr/0046-operable-on-aws.md); reads the sealed PDF (signing/).
  release: { read: ['drafts', 'signing'], archive: 'write', heavy: true },
  // Its own step after Release: one mail per recipient with a download link (presigned by api on click).
  'notify-recipients': { sendsMail: true },
  // Clerk numbering mode: mails the clerk of records the link to enter the number.
  'request-number': { sendsMail: true },
  // The person's signature: reserves the number, renders the final PDF (fonts in the bundle), asks and polls the provider.
  // Mails the signer (the request, reminders) and the compiler when the signing stalls.
  // Reads the person's and the organization's images (orgs/, SSE-KMS) before anyone is asked.
  // Asks the person's provider (a remote service: credentials from Secrets Manager).
  'sign-document': {
    read: ['drafts', 'signing', 'signingMaterial'],
    write: ['signing'],
    heavy: true,
    rendersPdf: true,
    sendsMail: true,
    remoteSigning: true,
  },
  // Mails the văn thư's seal link or the compiler's retry link (table and mail only).
  'request-signing-action': { sendsMail: true },
  // Form uploads (presigned POST to raw/), draft/report downloads (presigned GET) and the
  // compiler's emailed sign-in link (ARCHITECTURE.md "Who may do what").
  // The văn thư's seal (POST /seal/…) reads the person's signed PDF and writes the sealed one (signing/).
  // orgs/: the organization's signing material (baocao org signing put-image / put-chain, the seal image).
  api: {
    read: ['raw', 'submissions', 'drafts', 'signing', 'signingMaterial'],
    write: ['raw', 'signing', 'signingMaterial'],
    archive: 'read',
    sendsMail: true,
    rendersPdf: true,
    remoteSigning: true,
  },
  // Scheduler target: plans a quarter's invites or reminders and queues them (InviteFanout); it
  // mails nobody. Reads submission bodies: completeness loads the current submissions.
  'open-period': { read: ['submissions'] },
  // Consumer of the invite queue: one invite or reminder mail per message, once (ADR 0046).
  'send-invites': { sendsMail: true },
  // A new execution asks where the report stands (table only).
  'resume-report': {},
  // An old execution hands the report to a fresh one (table + states:StartExecution, granted by the pipeline).
  'continue-report': {},
  // Ingests raw/ objects left without an outcome (schedule + intake dead-letter queue); lists raw/ (Reconciler construct).
  'reconcile-uploads': { read: ['raw', 'submissions'], write: ['submissions'] },
};

/** NODE_OPTIONS of every function: stack traces in the logs point at the TypeScript (costs ~15–30 ms of init: ADR 0046). */
export const LAMBDA_NODE_OPTIONS = '--enable-source-maps';

/** esbuild banner: bundled CommonJS dependencies (nodemailer, docx's deps) call `require`, which ESM lacks. */
export const ESM_REQUIRE_BANNER = "import { createRequire } from 'module'; const require = createRequire(import.meta.url);";

const PROJECT_ROOT = fileURLToPath(new URL('../../', import.meta.url));

/**
 * Import paths replaced in every bundle (esbuild `alias`): fontkit (pdfkit's) imports the
 * 475 kB JavaScript Brotli decoder for WOFF2 fonts only; Node's own zlib does the same
 * (infra/bundling/brotli-decompress.mjs, checked against the package in test/unit/bundling.test.ts).
 */
export const BUNDLE_ALIASES: Readonly<Record<string, string>> = {
  'brotli/decompress.js': path.join(PROJECT_ROOT, 'infra/bundling/brotli-decompress.mjs'),
};

/** Builds the form's browser script into the api bundle as assets/form.js, with the same esbuild options as the local build. */
const FORM_ASSET_HOOK: ICommandHooks = {
  beforeBundling: () => [],
  beforeInstall: () => [],
  afterBundling: (inputDir: string, outputDir: string) => {
    const q = (s: string) => `"${s}"`;
    const args = clientBuildArgs(
      path.join(inputDir, 'shared/features/intake/web/client.ts'),
      path.join(inputDir, 'shared/features/intake/web/zod-stub.ts'),
      path.join(outputDir, 'assets/form.js'),
    );
    return [
      [
        q(path.join(inputDir, 'node_modules/.bin/esbuild')),
        ...args.map((a) => (a.startsWith('--') ? a.replace(/=(.*)$/, (_m, v: string) => `=${q(v)}`) : q(a))),
      ].join(' '),
    ];
  },
};

/**
 * esbuild CLI arguments of a function's deployed bundle: the stack's options, split at dynamic
 * imports, so that code loaded on first use (the PDF renderer and PAdES, docx, exceljs) sits in
 * chunks beside index.mjs that are read only when imported — a module wrapped for lazy
 * evaluation in one file is still parsed at cold start (ADR 0046 §4). The bench builds with these.
 */
export function splitBundleArgs(entry: string, outdir: string): string[] {
  return [
    entry,
    '--bundle',
    '--splitting',
    '--platform=node',
    '--format=esm',
    '--target=node22',
    '--main-fields=module,main',
    `--banner:js=${ESM_REQUIRE_BANNER}`,
    ...Object.entries(BUNDLE_ALIASES).map(([from, to]) => `--alias:${from}=${to}`),
    '--minify',
    '--sourcemap',
    '--sources-content=false',
    `--outdir=${outdir}`,
    '--entry-names=index',
    '--chunk-names=chunk-[hash]',
    '--out-extension:.js=.mjs',
    '--log-level=error',
  ];
}

/** The shell command of an afterBundling hook: arguments double-quoted (none contains a quote, `$` or a backtick). */
const shellCommand = (args: string[]) =>
  args.map((a) => (a.startsWith('--') ? a.replace(/=(.*)$/s, (_m, v: string) => `="${v}"`) : `"${a}"`)).join(' ');

/**
 * NodejsFunction writes one file (`--outfile`), which esbuild cannot split: this hook bundles the
 * handler again with splitBundleArgs into the same folder, replacing index.mjs and adding its chunks.
 */
function splitHook(name: HandlerName): ICommandHooks {
  return {
    beforeBundling: () => [],
    beforeInstall: () => [],
    afterBundling: (inputDir: string, outputDir: string) => [
      shellCommand([
        path.join(inputDir, 'node_modules/.bin/esbuild'),
        ...splitBundleArgs(path.join(inputDir, 'functions', `${name}.ts`), outputDir),
      ]),
    ],
  };
}

function chainHooks(a: ICommandHooks, b?: ICommandHooks): ICommandHooks {
  if (!b) return a;
  return {
    beforeBundling: (i, o) => [...a.beforeBundling(i, o), ...b.beforeBundling(i, o)],
    beforeInstall: (i, o) => [...a.beforeInstall(i, o), ...b.beforeInstall(i, o)],
    afterBundling: (i, o) => [...a.afterBundling(i, o), ...b.afterBundling(i, o)],
  };
}

/** esbuild options of one function: ESM for Node 22, everything bundled and split (splitHook), plus its assets (form script, PDF fonts). */
export function bundlingFor(name: HandlerName): BundlingOptions {
  const bundling: BundlingOptions = {
    format: OutputFormat.ESM,
    target: 'node22',
    mainFields: ['module', 'main'],
    banner: ESM_REQUIRE_BANNER,
    minify: true,
    sourceMap: true,
    sourcesContent: false,
    externalModules: [],
    forceDockerBundling: false,
    esbuildArgs: Object.fromEntries(Object.entries(BUNDLE_ALIASES).map(([from, to]) => [`--alias:${from}`, to])),
    // The division form's browser script ships next to the api handler (shared/features/intake/web/asset.ts).
    commandHooks: chainHooks(splitHook(name), name === 'api' ? FORM_ASSET_HOOK : undefined),
  };
  return FUNCTION_PROFILES[name].rendersPdf ? withPdfFonts(bundling) : bundling;
}

export interface FunctionsProps {
  readonly storage: Storage;
  readonly mail: Mail;
  /**
   * Retention of each function's log group.
   * @default RetentionDays.ONE_YEAR
   */
  readonly logRetention?: logs.RetentionDays;
  /**
   * Application log level of every function (Lambda drops JSON lines below it; Powertools reads
   * it as AWS_LAMBDA_LOG_LEVEL).
   * @default ApplicationLogLevel.INFO
   */
  readonly logLevel?: lambda.ApplicationLogLevel;
}

/**
 * One NodejsFunction per handler file, bundled locally by esbuild as ESM (no Docker).
 * `@aws-sdk/*` is bundled rather than taken from the runtime, so AWS runs the SDK versions the
 * tests ran (docs/adr/0003-lambda-bundling.md).
 */
export class Functions extends Construct {
  public readonly byName: Readonly<Record<HandlerName, NodejsFunction>>;

  constructor(scope: Construct, id: string, props: FunctionsProps) {
    super(scope, id);
    const { storage, mail } = props;
    const byName = {} as Record<HandlerName, NodejsFunction>;

    for (const name of HANDLER_NAMES) {
      const profile = FUNCTION_PROFILES[name];
      const cid = pascal(name);
      const logGroup = new logs.LogGroup(this, `${cid}Logs`, {
        retention: props.logRetention ?? logs.RetentionDays.ONE_YEAR,
        removalPolicy: RemovalPolicy.RETAIN,
      });
      // Own role instead of AWSLambdaBasicExecutionRole: write to this log group only.
      const role = new iam.Role(this, `${cid}Role`, {
        assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
        description: `baocao ${name} function`,
      });
      logGroup.grantWrite(role);

      const fn = new NodejsFunction(this, cid, {
        entry: path.join(PROJECT_ROOT, 'functions', `${name}.ts`),
        handler: 'handler',
        projectRoot: PROJECT_ROOT,
        depsLockFilePath: path.join(PROJECT_ROOT, 'package-lock.json'),
        runtime: lambda.Runtime.NODEJS_22_X,
        architecture: lambda.Architecture.ARM_64,
        memorySize: profile.heavy ? 1024 : 512,
        timeout: profile.heavy ? Duration.minutes(2) : Duration.seconds(30),
        role,
        logGroup,
        // JSON lines with requestId added by the runtime; the level filter applies to them.
        loggingFormat: lambda.LoggingFormat.JSON,
        applicationLogLevelV2: props.logLevel ?? lambda.ApplicationLogLevel.INFO,
        systemLogLevelV2: lambda.SystemLogLevel.WARN,
        // Same trace as the state machine's (which traces already) and the HTTP API's requests.
        tracing: lambda.Tracing.ACTIVE,
        description: `baocao ${name}`,
        environment: {
          // The local runtime maps state-machine tasks to handler files through this.
          HANDLER_NAME: name,
          TABLE_NAME: storage.table.tableName,
          BUCKET_NAME: storage.bucket.bucketName,
          NODE_OPTIONS: LAMBDA_NODE_OPTIONS,
        },
        bundling: bundlingFor(name),
      });

      grantTableAccess(fn, storage.table, TABLE_ACCESS[name]);
      grantObjects(fn, 's3:GetObject', profile.read ?? [], storage);
      grantObjects(fn, 's3:PutObject', profile.write ?? [], storage);
      if (profile.archive) {
        fn.addEnvironment('ARCHIVE_BUCKET_NAME', storage.archiveBucket.bucketName);
        const action = profile.archive === 'write' ? 's3:PutObject' : 's3:GetObject';
        fn.addToRolePolicy(new iam.PolicyStatement({ actions: [action], resources: [storage.archiveObjectsArn()] }));
      }
      grantSigningMaterialKey(fn, profile, storage);
      if (profile.remoteSigning) grantSigningSecrets(fn, role);
      if (profile.sendsMail) mail.grantSend(fn);
      else mail.configure(fn);

      acknowledge(
        fn,
        'AwsSolutions-L1',
        'NODEJS_22_X on purpose: the local runtime, aws-local-stepfunctions and the test toolchain are pinned to Node 22; upgrade them together.',
      );
      acknowledgeWildcardResources(
        role,
        ['*'],
        'X-Ray tracing: xray:PutTraceSegments and xray:PutTelemetryRecords do not support resource-level permissions.',
      );
      acknowledgeWildcardResources(
        role,
        [
          ...[...new Set([...(profile.read ?? []), ...(profile.write ?? [])])].map((p) => storage.objectsArn(p)),
          ...(profile.archive ? [storage.archiveObjectsArn()] : []),
        ],
        'Object access is limited to the key prefixes this function works on (FUNCTION_PROFILES).',
      );
      byName[name] = fn;
    }
    this.byName = byName;
  }

  get(name: HandlerName): NodejsFunction {
    return this.byName[name];
  }

  all(): NodejsFunction[] {
    return HANDLER_NAMES.map((n) => this.byName[n]);
  }

  /** PUBLIC_BASE_URL: links in mails and pages point at the HTTP API. */
  setPublicBaseUrl(url: string, except: readonly HandlerName[] = []): void {
    for (const name of HANDLER_NAMES) if (!except.includes(name)) this.byName[name].addEnvironment('PUBLIC_BASE_URL', url);
  }
}

/** SSE-KMS under orgs/: readers decrypt, writers also make data keys; the key's ARN as SIGNING_MATERIAL_KEY_ID. */
function grantSigningMaterialKey(fn: lambda.Function, profile: FunctionProfile, storage: Storage): void {
  const reads = profile.read?.includes('signingMaterial');
  const writes = profile.write?.includes('signingMaterial');
  if (!reads && !writes) return;
  fn.addEnvironment('SIGNING_MATERIAL_KEY_ID', storage.signingMaterialKey.keyArn);
  const actions = writes ? ['kms:Decrypt', 'kms:GenerateDataKey'] : ['kms:Decrypt'];
  fn.addToRolePolicy(new iam.PolicyStatement({ actions, resources: [storage.signingMaterialKey.keyArn] }));
}

/** GetSecretValue on the signing secrets only (a prefix: each organization names its own secret). */
function grantSigningSecrets(fn: lambda.Function, role: iam.IRole): void {
  const stack = Stack.of(fn);
  const arn = stack.formatArn({
    service: 'secretsmanager',
    resource: 'secret',
    resourceName: `${SIGNING_SECRETS_PREFIX}*`,
    arnFormat: ArnFormat.COLON_RESOURCE_NAME,
  });
  fn.addEnvironment('SIGNING_SECRETS_PREFIX', SIGNING_SECRETS_PREFIX);
  fn.addToRolePolicy(new iam.PolicyStatement({ actions: ['secretsmanager:GetSecretValue'], resources: [arn] }));
  acknowledgeWildcardResources(
    role,
    [arn],
    'Remote signing credentials: one secret per organization and signer, named in organization data at run time (baocao/signing/<secretName>).',
  );
}

function grantObjects(fn: lambda.Function, action: string, prefixes: readonly PrefixName[], storage: Storage): void {
  if (prefixes.length === 0) return;
  fn.addToRolePolicy(new iam.PolicyStatement({ actions: [action], resources: prefixes.map((p) => storage.objectsArn(p)) }));
}

function pascal(name: string): string {
  return name.replace(/(^|-)([a-z])/g, (_m, _d, c: string) => c.toUpperCase());
}
