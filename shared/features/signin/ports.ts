/** The sign-in slice's own storage: links and sessions, by the hash of their secret only. */
export interface SigninRecord {
  kind: 'link' | 'session';
  email: string;
  expiresAt: string;
  status: 'pending' | 'used' | 'active';
  /** The organization the compiler signed in to (sessions of every organization share the table). */
  orgId?: string;
}

export interface SigninStore {
  put(hash: string, rec: SigninRecord): Promise<void>;
  get(hash: string): Promise<SigninRecord | undefined>;
  /** Marks a pending link used; false if it was not pending (single use). */
  consume(hash: string): Promise<boolean>;
  remove(hash: string): Promise<void>;
  /**
   * Counts one attempt in a fixed window of `bucket` (e.g. an address hash or a source IP);
   * false when the window already holds `limit` attempts. The counter expires with the window.
   */
  countAttempt(bucket: string, window: { start: string; end: string }, limit: number): Promise<boolean>;
}
