/**
 * Task tokens of `.waitForTaskToken` tasks: issued per invocation, settled once by
 * SendTaskSuccess/Failure. Used or unknown tokens: TaskDoesNotExist; malformed: InvalidToken;
 * timed out: TaskTimedOut — as the service answers.
 */

import { randomBytes } from 'node:crypto';
import { LocalSfnError } from './handlers';

export interface PendingTask {
  executionArn: string;
  stateName: string;
  resolve: (v: unknown) => void;
  reject: (e: unknown) => void;
}

const TOKEN_SHAPE = /^[A-Za-z0-9_-]{64,2048}$/;

function newTaskToken(): string {
  // Opaque like AWS task tokens; base64url so it needs no escaping in JSON, URLs or email.
  return randomBytes(96).toString('base64url');
}

export class TaskTokens {
  private readonly pending = new Map<string, PendingTask>();
  private readonly finished = new Map<string, 'done' | 'timedOut'>();

  /** A fresh token and the promise its SendTaskSuccess/Failure settles. */
  issue(executionArn: string, stateName: string): { token: string; settled: Promise<unknown> } {
    const token = newTaskToken();
    const settled = new Promise<unknown>((resolve, reject) => {
      this.pending.set(token, { executionArn, stateName, resolve, reject });
    });
    settled.catch(() => undefined); // settled after the task already failed: not unhandled
    return { token, settled };
  }

  isPending(token: string): boolean {
    return this.pending.has(token);
  }

  /** The waiting task of a token, or the error the service answers. */
  find(token: string): PendingTask {
    if (typeof token !== 'string' || !TOKEN_SHAPE.test(token)) throw new LocalSfnError('InvalidToken', 'Invalid Token');
    const task = this.pending.get(token);
    if (task) return task;
    if (this.finished.get(token) === 'timedOut') throw new LocalSfnError('TaskTimedOut', 'Task Timed Out');
    throw new LocalSfnError('TaskDoesNotExist', 'Task Does Not Exist');
  }

  /** Take the task out for settling: the token is used from now on. */
  take(token: string): PendingTask {
    const task = this.find(token);
    this.pending.delete(token);
    this.finished.set(token, 'done');
    return task;
  }

  /** The handler failed before waiting: the token never existed as far as callers know. */
  forget(token: string): void {
    this.pending.delete(token);
  }

  /** The wait of `stateName` timed out: its tokens answer TaskTimedOut from now on. */
  expire(executionArn: string, stateName: string): string[] {
    const expired: string[] = [];
    for (const [token, task] of this.pending) {
      if (task.executionArn !== executionArn || task.stateName !== stateName) continue;
      this.pending.delete(token);
      this.finished.set(token, 'timedOut');
      expired.push(token);
    }
    return expired;
  }

  /** The execution ended: reject its waits (the library has already moved on or stopped). */
  cancel(tokens: Iterable<string>, reason: string, markDone: boolean): void {
    for (const token of tokens) {
      const task = this.pending.get(token);
      if (!task) continue;
      this.pending.delete(token);
      if (markDone) this.finished.set(token, 'done');
      task.reject(new LocalSfnError('States.Runtime', reason));
    }
  }

  clear(): void {
    this.pending.clear();
  }
}
