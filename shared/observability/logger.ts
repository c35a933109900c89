import { Logger } from '@aws-lambda-powertools/logger';

/**
 * Powertools Logger behind the call shape of shared/log.ts (`log.info(message, fields)`), so
 * switching a module is one import line. On Lambda it writes one JSON object per line with the
 * request id (once `log.addContext(context)` or the middleware is used), the level taken from
 * AWS_LAMBDA_LOG_LEVEL (set by the function's application log level), the service name and any
 * keys appended for the rest of the invocation (`appendKeys({ reportId, executionArn })`).
 * Silent in tests unless LOG_LEVEL is set, like shared/log.ts.
 */
type Fields = Record<string, unknown>;

const defaultLevel = () => process.env.LOG_LEVEL ?? (process.env.VITEST ? 'ERROR' : 'INFO');

export const powertools = new Logger({
  serviceName: process.env.POWERTOOLS_SERVICE_NAME ?? 'baocao',
  logLevel: defaultLevel().toUpperCase() as 'DEBUG' | 'INFO' | 'WARN' | 'ERROR',
  persistentKeys: process.env.HANDLER_NAME ? { handler: process.env.HANDLER_NAME } : {},
});

/** Keys that travel on every later line of this invocation (cleared by `resetKeys`). */
export interface CorrelationKeys {
  reportId?: string;
  executionArn?: string;
  periodId?: string;
  organizationId?: string;
  divisionId?: string;
  requestId?: string;
}

const LEVELS = new Set(['DEBUG', 'INFO', 'WARN', 'ERROR', 'SILENT']);
let syncedLevel = process.env.LOG_LEVEL;
/** A CLI or the demo may set LOG_LEVEL after the handlers were imported: follow it on the next line. */
function followLevelEnv() {
  const wanted = process.env.LOG_LEVEL;
  if (!wanted || wanted === syncedLevel) return;
  syncedLevel = wanted;
  const upper = wanted.toUpperCase();
  if (LEVELS.has(upper)) powertools.setLogLevel(upper as 'DEBUG' | 'INFO' | 'WARN' | 'ERROR' | 'SILENT');
}

export const log = {
  debug: (message: string, fields?: Fields) => {
    followLevelEnv();
    powertools.debug(message, fields ?? {});
  },
  info: (message: string, fields?: Fields) => {
    followLevelEnv();
    powertools.info(message, fields ?? {});
  },
  warn: (message: string, fields?: Fields) => {
    followLevelEnv();
    powertools.warn(message, fields ?? {});
  },
  error: (message: string, fields?: Fields) => {
    followLevelEnv();
    powertools.error(message, fields ?? {});
  },
  /** Adds correlation ids to every following line; undefined values are skipped. */
  appendKeys: (keys: CorrelationKeys) => {
    const defined = Object.fromEntries(Object.entries(keys).filter(([, v]) => v !== undefined));
    powertools.appendKeys(defined);
  },
  /** Drops the keys appended during the previous invocation (call at the start of each one). */
  resetKeys: () => powertools.resetKeys(),
};
