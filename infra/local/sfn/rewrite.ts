/**
 * Definition rewriting: the synthesized definition, adjusted by the departures (departures.ts)
 * so that aws-local-stepfunctions runs it the way the service would.
 */

import { type AslMachine, innerMachines } from './asl';
import { guardTimeoutMatchers, scaleRetriers, type TimeoutSpec, takeExecutionTimeout, takeTaskTimeout } from './departures';
import { LocalSfnError } from './handlers';

export interface PreparedDefinition {
  /** The rewritten definition, for the library. */
  definition: AslMachine;
  /** How the adapter times each Task, by state name. */
  timeouts: Record<string, TimeoutSpec>;
  /** Top-level TimeoutSeconds of the state machine (unscaled), if any. */
  executionTimeoutSeconds?: number;
  taskStates: string[];
}

export interface RewriteOptions {
  /** The runtime's time scale: retry intervals are divided by it (departure retry-intervals-scaled). */
  timeScale?: number;
}

function prepareMachine(machine: AslMachine, out: PreparedDefinition, opts: RewriteOptions): void {
  const states = machine.States ?? {};
  for (const [name, state] of Object.entries({ ...states })) {
    for (const inner of innerMachines(state)) prepareMachine(inner, out, opts);
    scaleRetriers(state, opts.timeScale ?? 1); // Task, Parallel and Map states can retry
    if (state.Type !== 'Task') continue;
    out.taskStates.push(name);
    out.timeouts[name] = takeTaskTimeout(state);
    guardTimeoutMatchers(state, states);
  }
}

/** A rewritten copy of `definition`; the original is left as it is. */
export function prepareDefinition(definition: AslMachine, opts: RewriteOptions = {}): PreparedDefinition {
  const def = structuredClone(definition);
  const out: PreparedDefinition = { definition: def, timeouts: {}, taskStates: [] };
  const executionTimeoutSeconds = takeExecutionTimeout(def);
  if (executionTimeoutSeconds !== undefined) out.executionTimeoutSeconds = executionTimeoutSeconds;
  prepareMachine(def, out, opts);
  return out;
}

/** Read a simple reference path ($, $.a.b, $.a[0], $['a']) from a JSON value. */
export function readReferencePath(value: unknown, path: string): unknown {
  if (path === '$') return value;
  if (!path.startsWith('$')) throw new LocalSfnError('States.Runtime', `Unsupported path ${path}`);
  const parts = [...path.slice(1).matchAll(/\.([^.[\]]+)|\[(\d+)\]|\['([^']+)'\]/g)].map(
    (m) => m[1] ?? (m[2] !== undefined ? Number(m[2]) : m[3]),
  );
  let cur: unknown = value;
  for (const p of parts) cur = cur == null ? undefined : (cur as Record<string | number, unknown>)[p];
  return cur;
}
