/** The Lambda handlers of the stack: one per file in functions/ (the local runtime maps tasks by these names). */
export const HANDLER_NAMES = [
  'ingest',
  'validate',
  'aggregate',
  'build-docx',
  'plan-approval',
  'request-approval',
  'request-revision',
  'request-desk',
  'record-failure',
  'release',
  'notify-recipients',
  'request-number',
  'sign-document',
  'request-signing-action',
  'api',
  'open-period',
  'resume-report',
  'continue-report',
  'reconcile-uploads',
  'send-invites',
] as const;
export type HandlerName = (typeof HANDLER_NAMES)[number];
