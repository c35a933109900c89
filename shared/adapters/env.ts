import * as z from 'zod';
import { DEFAULT_INTAKE_OPTIONS } from '../features/intake/ports';

/** A small non-negative whole number of days given as text (an environment variable). */
const days = (fallback: number) =>
  z
    .string()
    .regex(/^\d{1,3}$/, 'must be a whole number of days (0–999)')
    .transform(Number)
    .optional()
    .transform((v) => v ?? fallback);

/** Environment every handler reads once at cold start; fails fast naming the variable. */
const EnvSchema = z.object({
  TABLE_NAME: z.string().min(1),
  BUCKET_NAME: z.string().min(1),
  /** The Object Lock bucket released reports are written to and downloaded from (ADR 0046); unset: released/ of BUCKET_NAME. */
  ARCHIVE_BUCKET_NAME: z.string().min(1).optional(),
  MAIL_TRANSPORT: z.enum(['ses', 'smtp']).default('ses'),
  MAIL_FROM: z.string().email(),
  SMTP_URL: z.string().optional(),
  /** SES configuration set every message is sent under (bounce and complaint events); unset locally. */
  MAIL_CONFIGURATION_SET: z.string().min(1).optional(),
  PUBLIC_BASE_URL: z.string().url().optional(),
  STATE_MACHINE_ARN: z.string().optional(),
  AWS_ENDPOINT_URL_S3: z.string().optional(),
  BAOCAO_LOCAL: z.string().optional(),
  /** The SQS queue scheduled invites and reminders fan out through (open-period → send-invites). */
  INVITE_QUEUE_URL: z.string().url().optional(),
  /** Recipients per second one send-invites invocation mails: SES's sending rate / the consumer's maximum concurrency. */
  MAIL_SEND_RATE: z
    .string()
    .regex(/^\d+(\.\d+)?$/, 'must be a number of recipients per second')
    .transform(Number)
    .optional(),
  /** The local test CA and its pending requests (npm start: .baocao/signing); only the local signing provider reads it. */
  BAOCAO_SIGNING_DIR: z.string().optional(),
  /** The KMS key signing material (signature and seal images, chains) is encrypted with under orgs/ (SSE-KMS). */
  SIGNING_MATERIAL_KEY_ID: z.string().min(1).optional(),
  /** The report type this deployment compiles (a template id under shared/templates). */
  TEMPLATE_ID: z.string().min(1).default('cchc'),
  /** The organization of the unprefixed routes and of report ids without one (default: the bundled one). */
  DEFAULT_ORG_ID: z
    .string()
    .regex(/^[a-z0-9-]{2,40}$/)
    .optional(),
  /** How long a container keeps an organization's document before reading it again. */
  ORG_CACHE_SECONDS: z
    .string()
    .regex(/^\d{1,4}$/)
    .transform(Number)
    .optional()
    .transform((v) => v ?? 60),
  /** Days an invite stays valid after the quarter's deadline (and a reopen lasts). */
  INVITE_GRACE_DAYS: days(DEFAULT_INTAKE_OPTIONS.graceDays),
  /** Automatic reminders go out this many days before the deadline. */
  REMINDER_DAYS_BEFORE: days(DEFAULT_INTAKE_OPTIONS.reminderDaysBefore),
});

export type Env = z.infer<typeof EnvSchema>;

export function readEnv(source: NodeJS.ProcessEnv = process.env): Env {
  const parsed = EnvSchema.safeParse(source);
  if (!parsed.success) {
    const names = parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ');
    throw new Error(`Invalid environment — ${names}`);
  }
  return parsed.data;
}
