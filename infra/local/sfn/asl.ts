/** The parts of an Amazon States Language (JSONPath) definition the local runtime reads or rewrites. */

import type { StateMachineDefinition } from 'aws-local-stepfunctions';

export interface Retrier {
  ErrorEquals: string[];
  IntervalSeconds?: number;
  MaxAttempts?: number;
  BackoffRate?: number;
  MaxDelaySeconds?: number;
  JitterStrategy?: 'FULL' | 'NONE';
}

export interface Catcher {
  ErrorEquals: string[];
  Next: string;
  ResultPath?: string | null;
}

export interface AslState {
  Type: string;
  Resource?: string;
  Parameters?: unknown;
  TimeoutSeconds?: number;
  TimeoutSecondsPath?: string;
  Retry?: Retrier[];
  Catch?: Catcher[];
  Branches?: AslMachine[];
  Iterator?: AslMachine;
  ItemProcessor?: AslMachine;
  [key: string]: unknown;
}

export interface AslMachine {
  StartAt: string;
  States: Record<string, AslState>;
  TimeoutSeconds?: number;
  [key: string]: unknown;
}

/** The nested machines of a state: Parallel branches, a Map's processor. */
export function innerMachines(state: AslState): AslMachine[] {
  if (state.Type === 'Parallel') return state.Branches ?? [];
  if (state.Type === 'Map') return [state.ItemProcessor ?? state.Iterator].filter((m): m is AslMachine => m !== undefined);
  return [];
}

/**
 * The definition as aws-local-stepfunctions types it: its type is a closed union of state shapes
 * while ours is the open JSON the runtime reads, so the one cast between them lives here.
 */
export const forLibrary = (definition: AslMachine): StateMachineDefinition => definition as unknown as StateMachineDefinition;
