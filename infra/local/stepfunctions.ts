/**
 * Local Step Functions: the synthesized definition on aws-local-stepfunctions, plus what the
 * library lacks, played the way the service behaves.
 *
 * - Every Task is overridden by state name. `lambda:invoke` gets the evaluated `Payload`, returns
 *   `{ StatusCode: 200, ExecutedVersion, Payload }`; a thrown error becomes Error = its `name`,
 *   Cause = `{"errorType","errorMessage","trace"}` JSON, as AWS reports Lambda failures.
 * - `.waitForTaskToken`: `$$.Task.Token` is a placeholder that each invocation replaces with a
 *   fresh opaque token; the task settles on SendTaskSuccess/Failure (also over the AWS JSON
 *   endpoint below). Used or unknown tokens: TaskDoesNotExist; malformed: InvalidToken; timed
 *   out: TaskTimedOut.
 * - Timeouts: the definition is pre-processed. `TimeoutSeconds`/`TimeoutSecondsPath` are taken
 *   off each Task (the library would default to 60 s, overflow above 2^31 ms and cannot scale a
 *   path) and enforced here: clamped to 2 147 483 s, divided by `timeScale`, raced against the
 *   task (only `.waitForTaskToken` tasks and the execution timeout are scaled); expiry throws `States.Timeout`. A path is evaluated by adding a hidden field to the
 *   state's Parameters, i.e. against the effective input after InputPath. Because that error is
 *   not the library's own class, a `States.Timeout` entry is put in front of any
 *   `States.TaskFailed` catcher/retrier so routing stays as on AWS. The top-level TimeoutSeconds
 *   is enforced the same way (status TIMED_OUT).
 * - Not emulated: HeartbeatSeconds, execution history events, Express workflows.
 * - Executions live in memory (and executions.json). After a restart, executions that were
 *   RUNNING are ABORTED with cause "Hệ thống cục bộ đã khởi động lại": their waits cannot resume.
 */

import { randomBytes, randomUUID } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { ExecutionAbortedError, ExecutionError, StateMachine } from 'aws-local-stepfunctions';
import { LOCAL_REGION } from './dynamodb';
import { closeServer, listen, urlOf } from './ports';
import { LOCAL_ACCOUNT } from './s3';

// aws-local-stepfunctions uses Promise.withResolvers (Node >= 22); keep older runtimes working.
if (typeof (Promise as any).withResolvers !== 'function') {
  (Promise as any).withResolvers = function withResolvers<T>() {
    let resolve!: (v: T) => void;
    let reject!: (e: unknown) => void;
    const promise = new Promise<T>((res, rej) => {
      resolve = res;
      reject = rej;
    });
    return { promise, resolve, reject };
  };
}

/** What `extractStateMachine` says about one Task state. */
export interface TaskMapping {
  /** Name of the Lambda handler module: functions/<handler>.ts */
  handler: string;
  waitForTaskToken: boolean;
  resource: string;
}

export type LambdaHandler = (event: any, context?: any) => Promise<any> | any;

export type ExecutionStatus = 'RUNNING' | 'SUCCEEDED' | 'FAILED' | 'TIMED_OUT' | 'ABORTED';

export interface ExecutionRecord {
  executionArn: string;
  name: string;
  status: ExecutionStatus;
  input: unknown;
  output?: unknown;
  error?: string;
  cause?: string;
  startDate: Date;
  stopDate?: Date;
  /** Set while a `.waitForTaskToken` task waits for SendTaskSuccess/Failure. */
  waiting?: { stateName: string; token: string };
}

/** An error with an AWS error code as `name` (what the SDK shows as `__type` / `err.name`). */
export class LocalSfnError extends Error {
  constructor(name: string, message: string) {
    super(message);
    this.name = name;
  }
}

/** Placeholder put in `$$.Task.Token`; each task invocation swaps it for a fresh token. */
export const TASK_TOKEN_PLACEHOLDER = '__LOCAL_TASK_TOKEN__';
/** setTimeout overflows above 2^31-1 ms. */
export const MAX_TIMEOUT_SECONDS = 2_147_483;
const HIDDEN_TIMEOUT_KEY = '__baocaoLocalTimeoutSeconds';
const LOCAL_TIMEOUT_FAIL_STATE = '__LocalTaskTimedOut';
const RESTART_CAUSE = 'Hệ thống cục bộ đã khởi động lại';

const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
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
    p = import(url).then((m) => {
      if (typeof m.handler !== 'function') throw new Error(`functions/${name}.ts does not export handler`);
      return m.handler as LambdaHandler;
    });
    p.catch(() => handlerCache.delete(name)); // let a fixed module be retried
    handlerCache.set(name, p);
  }
  return p;
}

/** A minimal Lambda context object for handlers that read it. */
export function lambdaContext(functionName: string, timeoutMs = 900_000) {
  const deadline = Date.now() + timeoutMs;
  return {
    functionName,
    functionVersion: '$LATEST',
    invokedFunctionArn: `arn:aws:lambda:${LOCAL_REGION}:${LOCAL_ACCOUNT}:function:${functionName}`,
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

// ---------------------------------------------------------------------------------------------
// Definition pre-processing: this adapter owns every timeout (scaled, clamped) instead of the
// library, which defaults a Task to 60 s and cannot scale TimeoutSecondsPath.
// ---------------------------------------------------------------------------------------------

interface TimeoutSpec {
  seconds?: number;
  path?: string;
  /** The path value is injected by the state's Parameters under HIDDEN_TIMEOUT_KEY. */
  viaParameters?: boolean;
}

export interface PreparedDefinition {
  definition: any;
  timeouts: Record<string, TimeoutSpec>;
  /** Top-level TimeoutSeconds of the state machine (unscaled), if any. */
  executionTimeoutSeconds?: number;
  taskStates: string[];
}

const matchesTimeoutOnAws = (errors: string[]) => errors.includes('States.Timeout') || errors.includes('States.ALL');

/**
 * The library treats our own 'States.Timeout' error (not its internal class) as matching
 * 'States.TaskFailed'; AWS does not. Put an explicit 'States.Timeout' entry first that does what
 * AWS would do: route like the first catcher/retrier that matches a timeout on AWS, or not at all.
 */
function guardTaskFailedMatchers(state: any, states: Record<string, any>): boolean {
  let needsFailState = false;
  const hasTaskFailed = (list: any[] | undefined) => (list ?? []).some((e) => e.ErrorEquals?.includes('States.TaskFailed'));
  if (hasTaskFailed(state.Catch)) {
    const first = state.Catch.findIndex((c: any) => matchesTimeoutOnAws(c.ErrorEquals ?? []));
    const tf = state.Catch.findIndex((c: any) => c.ErrorEquals?.includes('States.TaskFailed'));
    if (first === -1) {
      state.Catch = [{ ErrorEquals: ['States.Timeout'], Next: LOCAL_TIMEOUT_FAIL_STATE }, ...state.Catch];
      needsFailState = true;
    } else if (tf < first) {
      state.Catch = [{ ...state.Catch[first], ErrorEquals: ['States.Timeout'] }, ...state.Catch];
    }
  }
  if (hasTaskFailed(state.Retry)) {
    const first = state.Retry.findIndex((r: any) => matchesTimeoutOnAws(r.ErrorEquals ?? []));
    const tf = state.Retry.findIndex((r: any) => r.ErrorEquals?.includes('States.TaskFailed'));
    if (first === -1) state.Retry = [{ ErrorEquals: ['States.Timeout'], MaxAttempts: 0 }, ...state.Retry];
    else if (tf < first) state.Retry = [{ ...state.Retry[first], ErrorEquals: ['States.Timeout'] }, ...state.Retry];
  }
  if (needsFailState && !states[LOCAL_TIMEOUT_FAIL_STATE]) {
    states[LOCAL_TIMEOUT_FAIL_STATE] = { Type: 'Fail', Error: 'States.Timeout', Cause: '' };
  }
  return needsFailState;
}

function prepareMachine(machine: any, out: PreparedDefinition) {
  const states: Record<string, any> = machine.States ?? {};
  for (const [name, state] of Object.entries<any>({ ...states })) {
    if (state.Type === 'Parallel') for (const b of state.Branches ?? []) prepareMachine(b, out);
    if (state.Type === 'Map') {
      if (state.Iterator) prepareMachine(state.Iterator, out);
      if (state.ItemProcessor) prepareMachine(state.ItemProcessor, out);
    }
    if (state.Type !== 'Task') continue;
    out.taskStates.push(name);
    const spec: TimeoutSpec = {};
    if (typeof state.TimeoutSeconds === 'number') spec.seconds = state.TimeoutSeconds;
    else if (typeof state.TimeoutSecondsPath === 'string') {
      spec.path = state.TimeoutSecondsPath;
      if (state.Parameters && typeof state.Parameters === 'object' && !Array.isArray(state.Parameters)) {
        state.Parameters = { ...state.Parameters, [`${HIDDEN_TIMEOUT_KEY}.$`]: spec.path };
        spec.viaParameters = true;
      }
    }
    out.timeouts[name] = spec;
    delete state.TimeoutSecondsPath;
    // Neutralize the library's own task timer (its default is 60 s): ours races the task instead.
    state.TimeoutSeconds = MAX_TIMEOUT_SECONDS;
    guardTaskFailedMatchers(state, states);
  }
}

export function prepareDefinition(definition: any): PreparedDefinition {
  const def = structuredClone(definition);
  const out: PreparedDefinition = { definition: def, timeouts: {}, taskStates: [] };
  if (typeof def.TimeoutSeconds === 'number') {
    out.executionTimeoutSeconds = def.TimeoutSeconds;
    delete def.TimeoutSeconds; // enforced by LocalStepFunctions, scaled
  }
  prepareMachine(def, out);
  return out;
}

/** Read a simple reference path ($, $.a.b, $.a[0], $['a']) from a JSON value. */
export function readReferencePath(value: unknown, path: string): unknown {
  if (path === '$') return value;
  if (!path.startsWith('$')) throw new LocalSfnError('States.Runtime', `Unsupported path ${path}`);
  const parts = [...path.slice(1).matchAll(/\.([^.[\]]+)|\[(\d+)\]|\['([^']+)'\]/g)].map(
    (m) => m[1] ?? (m[2] !== undefined ? Number(m[2]) : m[3]),
  );
  let cur: any = value;
  for (const p of parts) cur = cur == null ? undefined : cur[p as any];
  return cur;
}

export function scaledTimeoutMs(seconds: number, timeScale: number): number {
  const clamped = Math.min(seconds, MAX_TIMEOUT_SECONDS);
  return Math.max(1, Math.round((clamped * 1000) / (timeScale > 0 ? timeScale : 1)));
}

function newTaskToken(): string {
  // Opaque like AWS task tokens; base64url so it needs no escaping in JSON, URLs or email.
  return randomBytes(96).toString('base64url');
}

function replaceDeep(value: unknown, from: string, to: string): unknown {
  if (value === undefined) return value;
  return JSON.parse(JSON.stringify(value).split(from).join(to));
}

/** How AWS reports a failed Lambda invoke: Error = errorType, Cause = the JSON error document. */
function lambdaError(err: unknown): LocalSfnError {
  const e = err instanceof Error ? err : new Error(String(err));
  const errorType = e.name || 'Error';
  const cause = JSON.stringify({ errorType, errorMessage: e.message, trace: (e.stack ?? '').split('\n') });
  return new LocalSfnError(errorType, cause);
}

interface PendingTask {
  executionArn: string;
  stateName: string;
  resolve: (v: unknown) => void;
  reject: (e: unknown) => void;
}

interface RunningExecution {
  abort: () => void;
  timers: Set<NodeJS.Timeout>;
  tokens: Set<string>;
}

export interface LocalStepFunctionsOptions {
  definition: any;
  tasks: Record<string, TaskMapping>;
  /** Defaults to importing functions/<handler>.ts. */
  resolveHandler?: (handler: string) => Promise<LambdaHandler> | LambdaHandler;
  /** executions.json; undefined = memory only. */
  stateFile?: string;
  stateMachineName?: string;
  /** Divide the timeouts of human waits (`.waitForTaskToken` tasks) and of the execution by this; default 1. */
  timeScale?: number;
  log?: (line: string) => void;
}

type Listener = () => void;

/**
 * Runs the synthesized state machine with aws-local-stepfunctions and plays the Step Functions
 * service around it: executions, task tokens, timeouts, history file.
 *
 * Limitations (documented): executions do not survive a restart (RUNNING ones become ABORTED);
 * HeartbeatSeconds is not enforced; TimeoutSecondsPath is read from the state's effective input
 * (after InputPath).
 */
export class LocalStepFunctions {
  readonly stateMachineArn: string;
  readonly stateMachineName: string;
  private readonly machine: StateMachine;
  private readonly prepared: PreparedDefinition;
  private readonly executions = new Map<string, ExecutionRecord>();
  private readonly running = new Map<string, RunningExecution>();
  private readonly pending = new Map<string, PendingTask>();
  private readonly finishedTokens = new Map<string, 'done' | 'timedOut'>();
  private readonly listeners = new Set<Listener>();
  private readonly timeScale: number;
  private closed = false;

  constructor(private readonly opts: LocalStepFunctionsOptions) {
    this.timeScale = opts.timeScale ?? 1;
    this.stateMachineName = opts.stateMachineName ?? 'baocao-local';
    this.stateMachineArn = `arn:aws:states:${LOCAL_REGION}:${LOCAL_ACCOUNT}:stateMachine:${this.stateMachineName}`;
    this.prepared = prepareDefinition(opts.definition);
    this.machine = new StateMachine(this.prepared.definition, { validationOptions: { checkPaths: false, checkArn: false } });
    this.load();
  }

  // ----- public API (mirrors the SFN operations) -----

  async startExecution(req: { name?: string; input?: unknown }): Promise<{ executionArn: string; startDate: Date }> {
    this.assertOpen();
    const name = req.name ?? randomUUID();
    if (!/^[^\s<>{}[\]?*"#%\\^|~`$&,;:/]{1,80}$/.test(name)) throw new LocalSfnError('InvalidName', `Invalid Name: '${name}'`);
    let input: unknown = req.input ?? {};
    if (typeof input === 'string') {
      try {
        input = JSON.parse(input);
      } catch {
        throw new LocalSfnError('InvalidExecutionInput', 'Invalid State Machine Execution Input: not JSON');
      }
    }
    const executionArn = `arn:aws:states:${LOCAL_REGION}:${LOCAL_ACCOUNT}:execution:${this.stateMachineName}:${name}`;
    const existing = this.executions.get(executionArn);
    if (existing) {
      // Standard workflows: same name + same input while running is idempotent.
      if (existing.status === 'RUNNING' && JSON.stringify(existing.input) === JSON.stringify(input)) {
        return { executionArn, startDate: existing.startDate };
      }
      throw new LocalSfnError('ExecutionAlreadyExists', `Execution Already Exists: '${executionArn}'`);
    }
    const record: ExecutionRecord = { executionArn, name, status: 'RUNNING', input, startDate: new Date() };
    this.executions.set(executionArn, record);
    this.changed();

    const run: RunningExecution = { abort: () => undefined, timers: new Set(), tokens: new Set() };
    this.running.set(executionArn, run);
    const context = {
      Execution: { Id: executionArn, Name: name, Input: input as any, StartTime: record.startDate.toISOString() },
      StateMachine: { Id: this.stateMachineArn, Name: this.stateMachineName },
      Task: { Token: TASK_TOKEN_PLACEHOLDER },
    };
    const handle = this.machine.run(input as any, {
      overrides: { taskResourceLocalHandlers: this.localHandlers(executionArn, run) as any },
      context,
    });
    run.abort = handle.abort;
    if (this.prepared.executionTimeoutSeconds !== undefined) {
      const t = setTimeout(
        () => {
          this.finish(executionArn, { status: 'TIMED_OUT', error: 'States.Timeout', cause: '' });
          handle.abort();
        },
        scaledTimeoutMs(this.prepared.executionTimeoutSeconds, this.timeScale),
      );
      run.timers.add(t);
    }
    handle.result.then(
      (output) => this.finish(executionArn, { status: 'SUCCEEDED', output }),
      (err) => {
        if (err instanceof ExecutionAbortedError) return this.finish(executionArn, { status: 'ABORTED' });
        const inner = err instanceof ExecutionError ? ((err as any).cause as Error) : (err as Error);
        this.finish(executionArn, { status: 'FAILED', error: inner?.name ?? 'Error', cause: inner?.message ?? String(err) });
      },
    );
    this.opts.log?.(`Step Functions: bắt đầu ${name}`);
    return { executionArn, startDate: record.startDate };
  }

  describeExecution(executionArn: string): ExecutionRecord {
    const r = this.executions.get(executionArn);
    if (!r) throw new LocalSfnError('ExecutionDoesNotExist', `Execution Does Not Exist: '${executionArn}'`);
    return structuredClone(r);
  }

  /** Newest first, like ListExecutions. */
  listExecutions(filter: { status?: ExecutionStatus } = {}): ExecutionRecord[] {
    return [...this.executions.values()]
      .filter((r) => !filter.status || r.status === filter.status)
      .sort((a, b) => b.startDate.getTime() - a.startDate.getTime())
      .map((r) => structuredClone(r));
  }

  sendTaskSuccess(taskToken: string, output: string | unknown): void {
    let value = output;
    if (typeof output === 'string') {
      try {
        value = JSON.parse(output);
      } catch {
        throw new LocalSfnError('InvalidOutput', 'Invalid Output: not JSON');
      }
    }
    const task = this.takeTask(taskToken);
    task.resolve(value);
  }

  sendTaskFailure(taskToken: string, error?: string, cause?: string): void {
    const task = this.takeTask(taskToken);
    task.reject(new LocalSfnError(error ?? '', cause ?? ''));
  }

  /** Validates the token; HeartbeatSeconds is not enforced locally. */
  sendTaskHeartbeat(taskToken: string): void {
    this.findTask(taskToken);
  }

  stopExecution(executionArn: string, opts: { error?: string; cause?: string } = {}): { stopDate: Date } {
    const r = this.executions.get(executionArn);
    if (!r) throw new LocalSfnError('ExecutionDoesNotExist', `Execution Does Not Exist: '${executionArn}'`);
    if (r.status === 'RUNNING') {
      this.finish(executionArn, { status: 'ABORTED', error: opts.error, cause: opts.cause });
      this.running.get(executionArn)?.abort();
    }
    return { stopDate: r.stopDate ?? new Date() };
  }

  /** Test helper: resolves when `pred` holds for the execution (default: it has finished). */
  waitForExecution(
    executionArn: string,
    pred: (r: ExecutionRecord) => boolean = (r) => r.status !== 'RUNNING',
    timeoutMs = 10_000,
  ): Promise<ExecutionRecord> {
    return new Promise((resolveWait, rejectWait) => {
      const check = () => {
        const r = this.executions.get(executionArn);
        if (r && pred(r)) {
          cleanup();
          resolveWait(structuredClone(r));
          return true;
        }
        return false;
      };
      const timer = setTimeout(() => {
        cleanup();
        const r = this.executions.get(executionArn);
        rejectWait(
          new Error(
            `waitForExecution timed out after ${timeoutMs} ms (status ${r?.status ?? 'unknown'}, waiting ${r?.waiting?.stateName ?? '-'})`,
          ),
        );
      }, timeoutMs);
      const cleanup = () => {
        clearTimeout(timer);
        this.listeners.delete(check);
      };
      if (!check()) this.listeners.add(check);
    });
  }

  /** Abort in-memory work without touching records: RUNNING ones are marked ABORTED on the next start. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    for (const [arn, run] of this.running) {
      for (const t of run.timers) clearTimeout(t);
      run.abort();
      for (const token of run.tokens) this.pending.get(token)?.reject(new LocalSfnError('States.Runtime', 'stopped'));
      this.running.delete(arn);
    }
    this.pending.clear();
    this.listeners.clear();
  }

  // ----- internals -----

  private assertOpen() {
    if (this.closed) throw new LocalSfnError('ServiceUnavailable', 'Local Step Functions is stopped');
  }

  private findTask(token: string): PendingTask {
    if (typeof token !== 'string' || !/^[A-Za-z0-9_-]{64,2048}$/.test(token)) throw new LocalSfnError('InvalidToken', 'Invalid Token');
    const task = this.pending.get(token);
    if (task) return task;
    if (this.finishedTokens.get(token) === 'timedOut') throw new LocalSfnError('TaskTimedOut', 'Task Timed Out');
    throw new LocalSfnError('TaskDoesNotExist', 'Task Does Not Exist');
  }

  private takeTask(token: string): PendingTask {
    const task = this.findTask(token);
    this.pending.delete(token);
    this.finishedTokens.set(token, 'done');
    this.running.get(task.executionArn)?.tokens.delete(token);
    const r = this.executions.get(task.executionArn);
    if (r?.waiting?.token === token) {
      delete r.waiting;
      this.changed();
    }
    return task;
  }

  private localHandlers(executionArn: string, run: RunningExecution) {
    const handlers: Record<string, (input: unknown) => Promise<unknown>> = {};
    for (const stateName of this.prepared.taskStates) {
      handlers[stateName] = (input) => this.runTask(executionArn, run, stateName, input);
    }
    return handlers;
  }

  private async runTask(executionArn: string, run: RunningExecution, stateName: string, rawInput: unknown): Promise<unknown> {
    const mapping = this.opts.tasks[stateName];
    const spec = this.prepared.timeouts[stateName] ?? {};
    let input: any = rawInput;
    let timeoutSeconds = spec.seconds;
    if (spec.path) {
      const v = spec.viaParameters ? input?.[HIDDEN_TIMEOUT_KEY] : readReferencePath(input, spec.path);
      if (!Number.isInteger(v) || (v as number) < 1) {
        throw new LocalSfnError(
          'States.Runtime',
          `TimeoutSecondsPath ${spec.path} must select a positive integer, got ${JSON.stringify(v)}`,
        );
      }
      timeoutSeconds = v as number;
    }
    if (input && typeof input === 'object' && HIDDEN_TIMEOUT_KEY in input) {
      input = { ...input };
      delete input[HIDDEN_TIMEOUT_KEY];
    }
    if (!mapping) throw new LocalSfnError('States.Runtime', `No local handler for Task state ${stateName}`);

    const work = this.invoke(executionArn, run, stateName, mapping, input);
    if (timeoutSeconds === undefined) return work;
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () => {
          for (const [token, task] of this.pending) {
            if (task.executionArn === executionArn && task.stateName === stateName) {
              this.pending.delete(token);
              run.tokens.delete(token);
              this.finishedTokens.set(token, 'timedOut');
              const r = this.executions.get(executionArn);
              if (r?.waiting?.token === token) {
                delete r.waiting;
                this.changed();
              }
            }
          }
          reject(new LocalSfnError('States.Timeout', ''));
          // Only human waits (task tokens) run on the accelerated calendar; a Lambda task's own
          // timeout stays in real seconds, or an accelerated test would time out the processing steps.
        },
        scaledTimeoutMs(timeoutSeconds!, mapping.waitForTaskToken ? this.timeScale : 1),
      );
      run.timers.add(timer);
    });
    work.catch(() => undefined); // a late failure after the timeout must not be unhandled
    try {
      return await Promise.race([work, timeout]);
    } finally {
      clearTimeout(timer);
      if (timer) run.timers.delete(timer);
    }
  }

  private async invoke(executionArn: string, run: RunningExecution, stateName: string, mapping: TaskMapping, input: any): Promise<unknown> {
    // lambda:invoke (optimized integration) gets { FunctionName, Payload }; a plain Lambda ARN gets the input.
    const optimized = mapping.resource.includes(':states:::lambda:invoke');
    let event = optimized ? input?.Payload : input;
    const resolver = this.opts.resolveHandler ?? importFunctionHandler;
    const handler = await resolver(mapping.handler);
    let token: string | undefined;
    let waitForToken: Promise<unknown> | undefined;
    if (mapping.waitForTaskToken) {
      token = newTaskToken();
      event = replaceDeep(event, TASK_TOKEN_PLACEHOLDER, token);
      const t = token;
      waitForToken = new Promise((resolveTask, rejectTask) => {
        this.pending.set(t, { executionArn, stateName, resolve: resolveTask, reject: rejectTask });
      });
      waitForToken.catch(() => undefined);
      run.tokens.add(t);
    }
    let result: unknown;
    try {
      result = await handler(event, lambdaContext(mapping.handler));
    } catch (err) {
      if (token) {
        this.pending.delete(token);
        run.tokens.delete(token);
      }
      this.opts.log?.(`Step Functions: ${stateName} (${mapping.handler}) lỗi: ${(err as Error)?.message ?? err}`);
      throw lambdaError(err);
    }
    if (!token) return optimized ? { StatusCode: 200, ExecutedVersion: '$LATEST', Payload: result ?? null } : (result ?? null);
    const r = this.executions.get(executionArn);
    if (r && r.status === 'RUNNING' && this.pending.has(token)) {
      r.waiting = { stateName, token };
      this.changed();
    }
    return waitForToken;
  }

  private finish(executionArn: string, patch: Partial<ExecutionRecord> & { status: ExecutionStatus }) {
    if (this.closed) return;
    const r = this.executions.get(executionArn);
    if (r?.status !== 'RUNNING') return; // first final status wins (e.g. ABORTED by stopExecution)
    Object.assign(r, patch, { stopDate: new Date() });
    for (const k of ['output', 'error', 'cause'] as const) if (r[k] === undefined) delete r[k];
    delete r.waiting;
    const run = this.running.get(executionArn);
    if (run) {
      for (const t of run.timers) clearTimeout(t);
      for (const token of run.tokens) {
        const task = this.pending.get(token);
        if (!task) continue;
        this.pending.delete(token);
        this.finishedTokens.set(token, 'done');
        task.reject(new LocalSfnError('States.Runtime', 'execution finished'));
      }
      this.running.delete(executionArn);
    }
    this.opts.log?.(`Step Functions: ${r.name} → ${r.status}${r.error ? ` (${r.error})` : ''}`);
    this.changed();
  }

  private changed() {
    this.save();
    for (const l of [...this.listeners]) l();
  }

  private save() {
    const file = this.opts.stateFile;
    if (!file) return;
    mkdirSync(dirname(file), { recursive: true });
    const tmp = `${file}.tmp`;
    writeFileSync(tmp, JSON.stringify([...this.executions.values()], null, 1));
    renameSync(tmp, file); // never leave a half-written file behind
  }

  private load() {
    const file = this.opts.stateFile;
    if (!file || !existsSync(file)) return;
    let changed = false;
    let list: any[] = [];
    try {
      list = JSON.parse(readFileSync(file, 'utf8'));
    } catch {
      this.opts.log?.(`Step Functions: không đọc được ${file}, bắt đầu lại danh sách`);
    }
    for (const raw of list) {
      const r: ExecutionRecord = {
        ...raw,
        startDate: new Date(raw.startDate),
        ...(raw.stopDate ? { stopDate: new Date(raw.stopDate) } : {}),
      };
      if (r.status === 'RUNNING') {
        // The in-memory interpreter state is gone: say so instead of pretending it still runs.
        r.status = 'ABORTED';
        r.cause = RESTART_CAUSE;
        r.stopDate = new Date();
        delete r.waiting;
        changed = true;
      }
      this.executions.set(r.executionArn, r);
    }
    if (changed) this.save();
  }
}

// ---------------------------------------------------------------------------------------------
// AWS JSON 1.0 endpoint so the unchanged SDK (`@aws-sdk/client-sfn`) talks to LocalStepFunctions.
// ---------------------------------------------------------------------------------------------

const epoch = (d?: Date) => (d ? d.getTime() / 1000 : undefined);

/** An execution as ListExecutions lists it. */
function summaryShape(sfn: LocalStepFunctions, r: ExecutionRecord) {
  return {
    executionArn: r.executionArn,
    stateMachineArn: sfn.stateMachineArn,
    name: r.name,
    status: r.status,
    startDate: epoch(r.startDate),
    ...(r.stopDate ? { stopDate: epoch(r.stopDate) } : {}),
  };
}

/** An execution as DescribeExecution answers: the summary plus input, output and error. */
function describeShape(sfn: LocalStepFunctions, r: ExecutionRecord) {
  return {
    ...summaryShape(sfn, r),
    input: JSON.stringify(r.input ?? {}),
    inputDetails: { included: true },
    ...(r.output !== undefined ? { output: JSON.stringify(r.output), outputDetails: { included: true } } : {}),
    ...(r.error !== undefined ? { error: r.error } : {}),
    ...(r.cause !== undefined ? { cause: r.cause } : {}),
  };
}

async function sfnOperation(sfn: LocalStepFunctions, op: string, body: any): Promise<unknown> {
  switch (op) {
    case 'StartExecution': {
      if (body.stateMachineArn && body.stateMachineArn !== sfn.stateMachineArn) {
        throw new LocalSfnError('StateMachineDoesNotExist', `State Machine Does Not Exist: '${body.stateMachineArn}'`);
      }
      const { executionArn, startDate } = await sfn.startExecution({ name: body.name, input: body.input ?? '{}' });
      return { executionArn, startDate: epoch(startDate) };
    }
    case 'DescribeExecution':
      return describeShape(sfn, sfn.describeExecution(body.executionArn));
    case 'ListExecutions': {
      const max = Number(body.maxResults) > 0 ? Number(body.maxResults) : 1000;
      const list = sfn.listExecutions({ status: body.statusFilter }).slice(0, max);
      return {
        executions: list.map((r) => summaryShape(sfn, r)),
      };
    }
    case 'StopExecution':
      return { stopDate: epoch(sfn.stopExecution(body.executionArn, { error: body.error, cause: body.cause }).stopDate) };
    case 'SendTaskSuccess':
      sfn.sendTaskSuccess(body.taskToken, body.output);
      return {};
    case 'SendTaskFailure':
      sfn.sendTaskFailure(body.taskToken, body.error, body.cause);
      return {};
    case 'SendTaskHeartbeat':
      sfn.sendTaskHeartbeat(body.taskToken);
      return {};
    default:
      throw new LocalSfnError('UnknownOperationException', `Operation ${op} is not supported locally`);
  }
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolveBody, rejectBody) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolveBody(Buffer.concat(chunks).toString('utf8')));
    req.on('error', rejectBody);
  });
}

export interface SfnEndpoint {
  url: string;
  port: number;
  stop(): Promise<void>;
}

export async function startSfnEndpoint(
  sfn: LocalStepFunctions,
  opts: { port?: number; log?: (line: string) => void } = {},
): Promise<SfnEndpoint> {
  const send = (res: ServerResponse, status: number, body: unknown) => {
    res.writeHead(status, { 'content-type': 'application/x-amz-json-1.0', 'x-amzn-requestid': randomUUID() });
    res.end(JSON.stringify(body));
  };
  const server = createServer(async (req, res) => {
    try {
      const target = String(req.headers['x-amz-target'] ?? '');
      const text = await readBody(req);
      if (req.method !== 'POST' || !target.startsWith('AWSStepFunctions.')) {
        return send(res, 400, {
          __type: 'UnknownOperationException',
          message: 'Expected POST with X-Amz-Target: AWSStepFunctions.<Operation>',
        });
      }
      const body = text ? JSON.parse(text) : {};
      send(res, 200, await sfnOperation(sfn, target.slice('AWSStepFunctions.'.length), body));
    } catch (err) {
      const e = err as Error;
      if (e instanceof LocalSfnError) return send(res, 400, { __type: e.name, message: e.message });
      if (e instanceof SyntaxError) return send(res, 400, { __type: 'SerializationException', message: e.message });
      opts.log?.(`SFN endpoint: ${e?.stack ?? e}`);
      send(res, 500, { __type: 'InternalFailure', message: String(e?.message ?? e) });
    }
  });
  const port = await listen(server, opts.port ?? 0);
  return { url: urlOf(port), port, stop: () => closeServer(server) };
}
