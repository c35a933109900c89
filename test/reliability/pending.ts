/**
 * THE switch for scenarios that still fail on today's code (issue 10, before its fixes land).
 *
 * While a scenario id is listed here, its test runs in "expect-violation" mode: it asserts that
 * the violation is STILL present. Once a fix makes the invariant hold, that test fails loudly
 * ("…no longer violated: remove it from test/reliability/pending.ts") and the entry must be
 * deleted, which turns the test into a normal "no violation" assertion. Never add an entry to
 * hide a regression: only scenarios that have not held yet belong here.
 * Values: what still fails today (as measured when the entry was added).
 */
export const PENDING: Readonly<Record<string, string>> = {};
