/**
 * Every deliberate departure of the local Step Functions runtime from AWS behaviour, with its
 * reason (DEPARTURES), and the functions that apply them. The rewriting code and the execution
 * service take these from here; tests import them instead of repeating them.
 * test/integration/local-sfn-departures.test.ts proves each one.
 */

import type { AslMachine, AslState, Retrier } from './asl';

/** Placeholder put in `$$.Task.Token`; each task invocation swaps it for a fresh token. */
export const TASK_TOKEN_PLACEHOLDER = '__LOCAL_TASK_TOKEN__';
/** setTimeout overflows above 2^31-1 ms. */
export const MAX_TIMEOUT_SECONDS = 2_147_483;
/** Parameters field that carries the value of TimeoutSecondsPath to the adapter. */
export const HIDDEN_TIMEOUT_KEY = '__baocaoLocalTimeoutSeconds';
/** Fail state added when a timeout must not be caught by a States.TaskFailed catcher. */
export const LOCAL_TIMEOUT_FAIL_STATE = '__LocalTaskTimedOut';
/** Cause of an execution that was RUNNING when the local system stopped. */
export const RESTART_CAUSE = 'Hệ thống cục bộ đã khởi động lại';

export type DepartureId =
  | 'task-timeouts-by-adapter'
  | 'timeout-path-hidden-parameter'
  | 'timeouts-clamped'
  | 'human-time-scaled'
  | 'execution-timeout-by-adapter'
  | 'timeout-guard-matchers'
  | 'task-token-placeholder'
  | 'aborted-on-restart'
  | 'heartbeat-not-enforced'
  | 'endpoint-operations-subset'
  | 'lambda-in-process'
  | 'no-payload-limits'
  | 'retry-intervals-scaled'
  | 'wait-states-scaled';

export interface Departure {
  id: DepartureId;
  /** What differs from AWS. */
  what: string;
  /** Why the local runtime does it that way. */
  why: string;
}

export const DEPARTURES: readonly Departure[] = [
  {
    id: 'task-timeouts-by-adapter',
    what: "TimeoutSeconds/TimeoutSecondsPath are taken off every Task and enforced by the adapter, which races the task and throws States.Timeout; the library's own task timer is set to MAX_TIMEOUT_SECONDS.",
    why: 'aws-local-stepfunctions defaults a Task to 60 s, overflows above 2^31 ms and cannot scale a path.',
  },
  {
    id: 'timeout-path-hidden-parameter',
    what: `TimeoutSecondsPath is evaluated by adding a hidden field (${HIDDEN_TIMEOUT_KEY}) to the state's Parameters, i.e. against the effective input after InputPath (AWS reads the state input); the field is removed before the handler sees its event.`,
    why: 'the library evaluates Parameters with full JSONPath; reusing it avoids a second path engine.',
  },
  {
    id: 'timeouts-clamped',
    what: 'Every timeout is clamped to MAX_TIMEOUT_SECONDS (2 147 483 s, about 24.8 days).',
    why: "setTimeout overflows above 2^31-1 ms and would fire at once; AWS's 30-day execution limit and 14-day waits exceed it.",
  },
  {
    id: 'human-time-scaled',
    what: 'timeScale divides the timeouts of human waits (.waitForTaskToken tasks) and of the execution; a Lambda task keeps its timeout in real seconds.',
    why: 'tests and demos run days of approval calendar in seconds without timing out the processing steps.',
  },
  {
    id: 'execution-timeout-by-adapter',
    what: 'The top-level TimeoutSeconds is removed from the definition and enforced by the adapter (scaled, clamped): the execution ends TIMED_OUT with States.Timeout.',
    why: 'the library cannot scale it and would overflow on 30 days.',
  },
  {
    id: 'timeout-guard-matchers',
    what: `A States.Timeout catcher/retrier is put in front of any States.TaskFailed one, doing what the first AWS match for a timeout would do; with none, a catcher to an injected Fail state (${LOCAL_TIMEOUT_FAIL_STATE}) and a retrier with MaxAttempts 0.`,
    why: "the adapter's States.Timeout is not the library's internal timeout class, so the library would let States.TaskFailed match it; AWS does not.",
  },
  {
    id: 'task-token-placeholder',
    what: `$$.Task.Token is a fixed placeholder (${TASK_TOKEN_PLACEHOLDER}) in the context object; each invocation of a .waitForTaskToken task replaces it in the handler's event with a fresh opaque token.`,
    why: 'the library has no task tokens; its context object is fixed for the whole run.',
  },
  {
    id: 'aborted-on-restart',
    what: `Executions live in memory (and executions.json); after a restart, executions that were RUNNING are ABORTED with the cause “${RESTART_CAUSE}”.`,
    why: 'the interpreter state cannot be persisted: waits cannot resume. The reports do not depend on it: on start the runtime gives each open report a new execution that continues from its record (infra/local/resume.ts).',
  },
  {
    id: 'heartbeat-not-enforced',
    what: 'HeartbeatSeconds is not enforced; SendTaskHeartbeat only validates the token.',
    why: 'no task of the pipeline sends heartbeats.',
  },
  {
    id: 'endpoint-operations-subset',
    what: 'The JSON endpoint serves StartExecution, DescribeExecution, ListExecutions (no pagination), StopExecution and SendTask{Success,Failure,Heartbeat}; anything else (GetExecutionHistory, StartSyncExecution …) is UnknownOperationException. Every execution runs as Standard.',
    why: 'these are the operations the product calls.',
  },
  {
    id: 'lambda-in-process',
    what: 'A Lambda task runs its handler module (functions/<HANDLER_NAME>.ts) in-process with a minimal Lambda context: no cold start, no concurrency limit, and Lambda.* service errors never occur.',
    why: 'one process starts in seconds and handlers stay unchanged between AWS and local.',
  },
  {
    id: 'no-payload-limits',
    what: 'The 256 KB limit on state input/output and task results is not enforced.',
    why: 'the library does not check it; the product keeps large bodies in S3 by design.',
  },
  {
    id: 'retry-intervals-scaled',
    what: "The definition's Retry blocks run as written (ErrorEquals, MaxAttempts, BackoffRate, JitterStrategy), but IntervalSeconds (default 1) and MaxDelaySeconds are divided by timeScale.",
    why: 'an accelerated test or demo would otherwise wait real seconds of backoff; with timeScale 1 (npm start) retries wait as on AWS.',
  },
  {
    id: 'wait-states-scaled',
    what: 'A Wait state with a fixed Seconds (WaitForSigner, the signing poll round) waits Seconds / timeScale, clamped like a timeout; Timestamp and SecondsPath waits are not scaled.',
    why: 'the signing planner counts poll rounds as calendar time, so an accelerated test or demo must pass a round as fast as it passes a human wait.',
  },
];

export const departure = (id: DepartureId): Departure => {
  const d = DEPARTURES.find((x) => x.id === id);
  if (!d) throw new Error(`unknown departure ${id}`);
  return d;
};

// ----- task-token-placeholder ------------------------------------------------------------------

/** The handler's event with the placeholder replaced by this invocation's token. */
export function withTaskToken(event: unknown, token: string): unknown {
  if (event === undefined) return event;
  return JSON.parse(JSON.stringify(event).split(TASK_TOKEN_PLACEHOLDER).join(token));
}

// ----- timeouts-clamped, human-time-scaled -----------------------------------------------------

/** A timeout in ms for setTimeout: clamped, divided by the time scale, at least 1 ms. */
export function scaledTimeoutMs(seconds: number, timeScale: number): number {
  const clamped = Math.min(seconds, MAX_TIMEOUT_SECONDS);
  return Math.max(1, Math.round((clamped * 1000) / (timeScale > 0 ? timeScale : 1)));
}

/** Which timeouts run on the accelerated calendar: human waits and the execution, not Lambda work. */
export const timeScaleFor = (kind: 'waitForTaskToken' | 'lambda' | 'execution', timeScale: number): number =>
  kind === 'lambda' ? 1 : timeScale;

// ----- task-timeouts-by-adapter, timeout-path-hidden-parameter, execution-timeout-by-adapter ----

/** How the adapter times one Task. */
export interface TimeoutSpec {
  seconds?: number;
  path?: string;
  /** The path value is injected by the state's Parameters under HIDDEN_TIMEOUT_KEY. */
  viaParameters?: boolean;
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Take the Task's timeout off the state (mutates it) and say how the adapter enforces it. */
export function takeTaskTimeout(state: AslState): TimeoutSpec {
  const spec: TimeoutSpec = {};
  if (typeof state.TimeoutSeconds === 'number') spec.seconds = state.TimeoutSeconds;
  else if (typeof state.TimeoutSecondsPath === 'string') {
    spec.path = state.TimeoutSecondsPath;
    if (isObject(state.Parameters)) {
      state.Parameters = { ...state.Parameters, [`${HIDDEN_TIMEOUT_KEY}.$`]: spec.path };
      spec.viaParameters = true;
    }
  }
  delete state.TimeoutSecondsPath;
  // Neutralize the library's own task timer (its default is 60 s): the adapter races the task instead.
  state.TimeoutSeconds = MAX_TIMEOUT_SECONDS;
  return spec;
}

/** Take the execution's TimeoutSeconds off the definition (mutates it); the adapter enforces it. */
export function takeExecutionTimeout(machine: AslMachine): number | undefined {
  const seconds = machine.TimeoutSeconds;
  delete machine.TimeoutSeconds;
  return typeof seconds === 'number' ? seconds : undefined;
}

/** The task's input without the hidden field, and the hidden field's value. */
export function takeHiddenTimeout(input: unknown): { input: unknown; value: unknown } {
  if (!isObject(input) || !(HIDDEN_TIMEOUT_KEY in input)) return { input, value: undefined };
  const { [HIDDEN_TIMEOUT_KEY]: value, ...rest } = input;
  return { input: rest, value };
}

// ----- timeout-guard-matchers ------------------------------------------------------------------

const matchesTimeoutOnAws = (errors: string[]) => errors.includes('States.Timeout') || errors.includes('States.ALL');
const matchesTaskFailed = (errors: string[]) => errors.includes('States.TaskFailed');

/**
 * Put an explicit 'States.Timeout' entry in front of any States.TaskFailed catcher/retrier that
 * does what AWS would do: route like the first one that matches a timeout on AWS, or not at all.
 * Mutates `state` (and `states`, adding the Fail state when needed).
 */
export function guardTimeoutMatchers(state: AslState, states: Record<string, AslState>): void {
  const catchers = state.Catch ?? [];
  if (catchers.some((c) => matchesTaskFailed(c.ErrorEquals ?? []))) {
    const first = catchers.findIndex((c) => matchesTimeoutOnAws(c.ErrorEquals ?? []));
    const tf = catchers.findIndex((c) => matchesTaskFailed(c.ErrorEquals ?? []));
    if (first === -1) {
      state.Catch = [{ ErrorEquals: ['States.Timeout'], Next: LOCAL_TIMEOUT_FAIL_STATE }, ...catchers];
      states[LOCAL_TIMEOUT_FAIL_STATE] ??= { Type: 'Fail', Error: 'States.Timeout', Cause: '' };
    } else if (tf < first) {
      state.Catch = [{ ...catchers[first], ErrorEquals: ['States.Timeout'] }, ...catchers];
    }
  }
  const retriers = state.Retry ?? [];
  if (retriers.some((r) => matchesTaskFailed(r.ErrorEquals ?? []))) {
    const first = retriers.findIndex((r) => matchesTimeoutOnAws(r.ErrorEquals ?? []));
    const tf = retriers.findIndex((r) => matchesTaskFailed(r.ErrorEquals ?? []));
    const guard: Retrier | undefined =
      first === -1
        ? { ErrorEquals: ['States.Timeout'], MaxAttempts: 0 }
        : tf < first
          ? { ...retriers[first], ErrorEquals: ['States.Timeout'] }
          : undefined;
    if (guard) state.Retry = [guard, ...retriers];
  }
}

// ----- wait-states-scaled ------------------------------------------------------------------------

/** Milliseconds each fixed-Seconds Wait state of `machine` waits under `timeScale` (the library's waitTimeOverrides). */
export function scaledWaits(machine: AslMachine, timeScale: number): Record<string, number> {
  const out: Record<string, number> = {};
  for (const [name, state] of Object.entries(machine.States ?? {})) {
    if (state.Type === 'Wait' && typeof state.Seconds === 'number') out[name] = scaledTimeoutMs(state.Seconds, timeScale);
  }
  return out;
}

// ----- retry-intervals-scaled ------------------------------------------------------------------

/** AWS's (and the library's) IntervalSeconds when a retrier leaves it out. */
export const DEFAULT_RETRY_INTERVAL_SECONDS = 1;

/** Divide each retrier's waits by the time scale (mutates `state`); 1 leaves the retriers as written. */
export function scaleRetriers(state: AslState, timeScale: number): void {
  if (!state.Retry || !(timeScale > 0) || timeScale === 1) return;
  state.Retry = state.Retry.map((r) => ({
    ...r,
    IntervalSeconds: (r.IntervalSeconds ?? DEFAULT_RETRY_INTERVAL_SECONDS) / timeScale,
    ...(r.MaxDelaySeconds !== undefined ? { MaxDelaySeconds: r.MaxDelaySeconds / timeScale } : {}),
  }));
}

// ----- endpoint-operations-subset --------------------------------------------------------------

export const ENDPOINT_OPERATIONS = [
  'StartExecution',
  'DescribeExecution',
  'ListExecutions',
  'StopExecution',
  'SendTaskSuccess',
  'SendTaskFailure',
  'SendTaskHeartbeat',
] as const;
export type EndpointOperation = (typeof ENDPOINT_OPERATIONS)[number];
