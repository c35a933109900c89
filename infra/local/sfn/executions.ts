/**
 * The Step Functions service around aws-local-stepfunctions: executions, task tokens, timeouts
 * and the history file. The synthesized definition is rewritten first (rewrite.ts); every
 * deliberate difference from AWS is listed in departures.ts.
 *
 * Each Task is overridden by state name. `lambda:invoke` gets the evaluated `Payload` and returns
 * `{ StatusCode: 200, ExecutedVersion, Payload }`; a thrown error becomes Error = its `name`,
 * Cause = `{"errorType","errorMessage","trace"}` JSON, as AWS reports Lambda failures.
 */

import { randomUUID } from 'node:crypto';
import { ExecutionAbortedError, ExecutionError, StateMachine } from 'aws-local-stepfunctions';
import { LOCAL_ACCOUNT, LOCAL_PARTITION, LOCAL_REGION } from '../aws-identity';
import { type AslMachine, forLibrary } from './asl';
import { scaledTimeoutMs, scaledWaits, TASK_TOKEN_PLACEHOLDER, takeHiddenTimeout, timeScaleFor, withTaskToken } from './departures';
import { importFunctionHandler, type LambdaHandler, LocalSfnError, lambdaContext, lambdaError } from './handlers';
import { type PreparedDefinition, prepareDefinition, readReferencePath } from './rewrite';
import { type ExecutionRecord, type ExecutionStatus, loadExecutions, saveExecutions } from './store';
import { TaskTokens } from './tokens';
import './polyfill';

/** What `extractStateMachine` says about one Task state. */

/** Longest close() waits for handler invocations under way. */
const CLOSE_DRAIN_MS = 5_000;
export interface TaskMapping {
  /** Name of the Lambda handler module: functions/<handler>.ts */
  handler: string;
  waitForTaskToken: boolean;
  resource: string;
}

interface RunningExecution {
  abort: () => void;
  timers: Set<NodeJS.Timeout>;
  tokens: Set<string>;
}

export interface LocalStepFunctionsOptions {
  definition: AslMachine;
  tasks: Record<string, TaskMapping>;
  /** Defaults to importing functions/<handler>.ts. */
  resolveHandler?: (handler: string) => Promise<LambdaHandler> | LambdaHandler;
  /** executions.json; undefined = memory only. */
  stateFile?: string;
  stateMachineName?: string;
  /** Divide the timeouts of human waits (`.waitForTaskToken` tasks), of the execution and retry intervals by this; default 1. */
  timeScale?: number;
  log?: (line: string) => void;
}

const EXECUTION_NAME = /^[^\s<>{}[\]?*"#%\\^|~`$&,;:/]{1,80}$/;
const arnPrefix = `arn:${LOCAL_PARTITION}:states:${LOCAL_REGION}:${LOCAL_ACCOUNT}`;

/** Runs the synthesized state machine and plays the Step Functions service around it. */
export class LocalStepFunctions {
  readonly stateMachineArn: string;
  readonly stateMachineName: string;
  private readonly machine: StateMachine;
  private readonly prepared: PreparedDefinition;
  private readonly executions = new Map<string, ExecutionRecord>();
  private readonly running = new Map<string, RunningExecution>();
  private readonly tokens = new TaskTokens();
  private readonly listeners = new Set<() => void>();
  private readonly timeScale: number;
  /** Fixed Wait states, scaled (departure wait-states-scaled). */
  private readonly waits: Record<string, number>;
  private closed = false;
  /** Handler invocations under way: close() lets them finish before the services behind them stop. */
  private readonly inFlight = new Set<Promise<unknown>>();

  constructor(private readonly opts: LocalStepFunctionsOptions) {
    this.timeScale = opts.timeScale ?? 1;
    this.stateMachineName = opts.stateMachineName ?? 'baocao-local';
    this.stateMachineArn = `${arnPrefix}:stateMachine:${this.stateMachineName}`;
    this.prepared = prepareDefinition(opts.definition, { timeScale: this.timeScale });
    this.waits = scaledWaits(this.prepared.definition, this.timeScale);
    this.machine = new StateMachine(forLibrary(this.prepared.definition), { validationOptions: { checkPaths: false, checkArn: false } });
    this.load();
  }

  // ----- public API (mirrors the SFN operations) -----

  async startExecution(req: { name?: string; input?: unknown }): Promise<{ executionArn: string; startDate: Date }> {
    this.assertOpen();
    const name = req.name ?? randomUUID();
    if (!EXECUTION_NAME.test(name)) throw new LocalSfnError('InvalidName', `Invalid Name: '${name}'`);
    let input: unknown = req.input ?? {};
    if (typeof input === 'string') {
      try {
        input = JSON.parse(input);
      } catch {
        throw new LocalSfnError('InvalidExecutionInput', 'Invalid State Machine Execution Input: not JSON');
      }
    }
    const executionArn = `${arnPrefix}:execution:${this.stateMachineName}:${name}`;
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
    // The library types JSON values (input, context) with its own JSONValue; ours come from JSON.parse.
    type RunInput = Parameters<StateMachine['run']>[0];
    const context = {
      Execution: { Id: executionArn, Name: name, Input: input as RunInput, StartTime: record.startDate.toISOString() },
      StateMachine: { Id: this.stateMachineArn, Name: this.stateMachineName },
      Task: { Token: TASK_TOKEN_PLACEHOLDER },
    };
    const handle = this.machine.run(input as RunInput, {
      overrides: { taskResourceLocalHandlers: this.localHandlers(executionArn, run), waitTimeOverrides: this.waits },
      context,
    });
    run.abort = handle.abort;
    if (this.prepared.executionTimeoutSeconds !== undefined) {
      const t = setTimeout(
        () => {
          this.finish(executionArn, { status: 'TIMED_OUT', error: 'States.Timeout', cause: '' });
          handle.abort();
        },
        scaledTimeoutMs(this.prepared.executionTimeoutSeconds, timeScaleFor('execution', this.timeScale)),
      );
      run.timers.add(t);
    }
    handle.result.then(
      (output) => this.finish(executionArn, { status: 'SUCCEEDED', output }),
      (err: unknown) => {
        if (err instanceof ExecutionAbortedError) return this.finish(executionArn, { status: 'ABORTED' });
        const caught = err instanceof ExecutionError ? err.cause : err;
        const inner = caught instanceof Error ? caught : undefined;
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
    this.takeTask(taskToken).resolve(value);
  }

  sendTaskFailure(taskToken: string, error?: string, cause?: string): void {
    this.takeTask(taskToken).reject(new LocalSfnError(error ?? '', cause ?? ''));
  }

  /** Validates the token; HeartbeatSeconds is not enforced locally (departure heartbeat-not-enforced). */
  sendTaskHeartbeat(taskToken: string): void {
    this.tokens.find(taskToken);
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
      this.tokens.cancel(run.tokens, 'stopped', false);
      this.running.delete(arn);
    }
    this.tokens.clear();
    this.listeners.clear();
    // An aborted run's task may still be writing: let it end (bounded) before the stores close under it.
    const drained = Promise.allSettled([...this.inFlight]);
    await Promise.race([drained, new Promise((r) => setTimeout(r, CLOSE_DRAIN_MS).unref())]);
  }

  // ----- internals -----

  private assertOpen() {
    if (this.closed) throw new LocalSfnError('ServiceUnavailable', 'Local Step Functions is stopped');
  }

  private takeTask(token: string) {
    const task = this.tokens.take(token);
    this.running.get(task.executionArn)?.tokens.delete(token);
    this.clearWaiting(task.executionArn, [token]);
    return task;
  }

  private clearWaiting(executionArn: string, tokens: string[]) {
    const r = this.executions.get(executionArn);
    if (r?.waiting && tokens.includes(r.waiting.token)) {
      delete r.waiting;
      this.changed();
    }
  }

  private localHandlers(executionArn: string, run: RunningExecution) {
    const handlers: Record<string, (input: unknown) => Promise<unknown>> = {};
    for (const stateName of this.prepared.taskStates) {
      handlers[stateName] = (input) => this.runTask(executionArn, run, stateName, input);
    }
    // The library's handler type returns its JSONValue; a handler's result is JSON by contract.
    return handlers as Record<string, (input: unknown) => Promise<Parameters<StateMachine['run']>[0]>>;
  }

  private async runTask(executionArn: string, run: RunningExecution, stateName: string, rawInput: unknown): Promise<unknown> {
    const mapping = this.opts.tasks[stateName];
    const spec = this.prepared.timeouts[stateName] ?? {};
    const hidden = takeHiddenTimeout(rawInput);
    let timeoutSeconds = spec.seconds;
    if (spec.path) {
      const v = spec.viaParameters ? hidden.value : readReferencePath(rawInput, spec.path);
      if (typeof v !== 'number' || !Number.isInteger(v) || v < 1) {
        throw new LocalSfnError(
          'States.Runtime',
          `TimeoutSecondsPath ${spec.path} must select a positive integer, got ${JSON.stringify(v)}`,
        );
      }
      timeoutSeconds = v;
    }
    if (!mapping) throw new LocalSfnError('States.Runtime', `No local handler for Task state ${stateName}`);

    const work = this.invoke(executionArn, run, stateName, mapping, hidden.input);
    if (timeoutSeconds === undefined) return work;
    const scale = timeScaleFor(mapping.waitForTaskToken ? 'waitForTaskToken' : 'lambda', this.timeScale);
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () => {
          const expired = this.tokens.expire(executionArn, stateName);
          for (const token of expired) run.tokens.delete(token);
          this.clearWaiting(executionArn, expired);
          reject(new LocalSfnError('States.Timeout', ''));
        },
        scaledTimeoutMs(timeoutSeconds, scale),
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

  private async invoke(executionArn: string, run: RunningExecution, stateName: string, mapping: TaskMapping, input: unknown) {
    // lambda:invoke (optimized integration) gets { FunctionName, Payload }; a plain Lambda ARN gets the input.
    const optimized = mapping.resource.includes(':states:::lambda:invoke');
    let event = optimized ? (input as { Payload?: unknown } | undefined)?.Payload : input;
    const resolver = this.opts.resolveHandler ?? importFunctionHandler;
    const handler = await resolver(mapping.handler);
    let wait: { token: string; settled: Promise<unknown> } | undefined;
    if (mapping.waitForTaskToken) {
      wait = this.tokens.issue(executionArn, stateName);
      event = withTaskToken(event, wait.token);
      run.tokens.add(wait.token);
    }
    let result: unknown;
    try {
      const call = Promise.resolve(handler(event, lambdaContext(mapping.handler)));
      this.inFlight.add(call);
      try {
        result = await call;
      } finally {
        this.inFlight.delete(call);
      }
    } catch (err) {
      if (wait) {
        this.tokens.forget(wait.token);
        run.tokens.delete(wait.token);
      }
      this.opts.log?.(`Step Functions: ${stateName} (${mapping.handler}) lỗi: ${err instanceof Error ? err.message : String(err)}`);
      throw lambdaError(err);
    }
    if (!wait) return optimized ? { StatusCode: 200, ExecutedVersion: '$LATEST', Payload: result ?? null } : (result ?? null);
    const r = this.executions.get(executionArn);
    if (r && r.status === 'RUNNING' && this.tokens.isPending(wait.token)) {
      r.waiting = { stateName, token: wait.token };
      this.changed();
    }
    return wait.settled;
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
      this.tokens.cancel(run.tokens, 'execution finished', true);
      this.running.delete(executionArn);
    }
    this.opts.log?.(`Step Functions: ${r.name} → ${r.status}${r.error ? ` (${r.error})` : ''}`);
    this.changed();
  }

  private changed() {
    if (this.opts.stateFile) saveExecutions(this.opts.stateFile, this.executions.values());
    for (const l of [...this.listeners]) l();
  }

  private load() {
    if (!this.opts.stateFile) return;
    const { records, aborted } = loadExecutions(this.opts.stateFile, this.opts.log);
    for (const r of records) this.executions.set(r.executionArn, r);
    if (aborted) saveExecutions(this.opts.stateFile, this.executions.values());
  }
}
