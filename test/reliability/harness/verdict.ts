import { expect } from 'vitest';
import { PENDING } from '../pending';
import { summarize, type Violation } from './invariants';

/**
 * The scenario's verdict. Listed in pending.ts: the violations must still be there (expect-violation
 * mode). Otherwise: there must be none.
 */
export function verdict(scenario: string, violations: Violation[]) {
  console.log(`[reliability] ${scenario}: ${violations.length} violation(s) ${JSON.stringify(summarize(violations))}`);
  for (const x of violations.slice(0, 8)) console.log(`[reliability]   ${x.kind} ${x.subject}: ${x.detail}`);
  if (scenario in PENDING) {
    expect(
      violations.length,
      `${scenario} is listed in test/reliability/pending.ts but is no longer violated: remove it from pending.ts`,
    ).toBeGreaterThan(0);
  } else {
    expect(violations).toEqual([]);
  }
}
