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
export const PENDING: Readonly<Record<string, string>> = {
  'a-duplicate-events-handler': 'issue 10 §1: 20 concurrent deliveries of one event store 21 versions and 21 accepted audit entries',
  'a-duplicate-events-form': 'issue 10 §1: one form re-posted 20 times stores 20 versions',
  'b-kill-during-ingest': 'issue 10 §2: raw/ objects without an outcome after kill -9 + restart (no reconciler); version counter gaps',
  'c-kill-awaiting-approval': 'issue 10 §4: a waiting report is marked failed on restart ("Hệ thống cục bộ đã khởi động lại")',
  'd-s3-outage-compile': 'issue 10 §5: a 2 s S3 outage fails the compile (ECONNRESET, not retried)',
  'd-dynamodb-outage-compile': 'issue 10 §5: a 2 s DynamoDB outage fails the compile',
  'h-release-fault': 'issue 10 §6: an S3 fault during Release fails the report (no retry)',
};
