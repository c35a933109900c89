/** executions.json: the execution records of the local Step Functions, kept across restarts. */

import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { RESTART_CAUSE } from './departures';

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

type StoredRecord = Omit<ExecutionRecord, 'startDate' | 'stopDate'> & { startDate: string; stopDate?: string };

export function saveExecutions(file: string, records: Iterable<ExecutionRecord>): void {
  mkdirSync(dirname(file), { recursive: true });
  const tmp = `${file}.tmp`;
  writeFileSync(tmp, JSON.stringify([...records], null, 1));
  renameSync(tmp, file); // never leave a half-written file behind
}

/**
 * The stored records; those that were RUNNING come back ABORTED (departure aborted-on-restart):
 * the in-memory interpreter state is gone, say so instead of pretending it still runs.
 */
export function loadExecutions(file: string, log?: (line: string) => void): { records: ExecutionRecord[]; aborted: number } {
  if (!existsSync(file)) return { records: [], aborted: 0 };
  let list: StoredRecord[] = [];
  try {
    const parsed: unknown = JSON.parse(readFileSync(file, 'utf8'));
    if (Array.isArray(parsed)) list = parsed as StoredRecord[];
  } catch {
    log?.(`Step Functions: không đọc được ${file}, bắt đầu lại danh sách`);
  }
  let aborted = 0;
  const records = list.map((raw): ExecutionRecord => {
    const { startDate, stopDate, ...rest } = raw;
    const r: ExecutionRecord = { ...rest, startDate: new Date(startDate), ...(stopDate ? { stopDate: new Date(stopDate) } : {}) };
    if (r.status === 'RUNNING') {
      r.status = 'ABORTED';
      r.cause = RESTART_CAUSE;
      r.stopDate = new Date();
      delete r.waiting;
      aborted++;
    }
    return r;
  });
  return { records, aborted };
}
