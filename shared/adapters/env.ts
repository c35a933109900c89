import { z } from 'zod';

/** Environment every handler reads once at cold start; fails fast naming the variable. */
const EnvSchema = z.object({
  TABLE_NAME: z.string().min(1),
  BUCKET_NAME: z.string().min(1),
  MAIL_TRANSPORT: z.enum(['ses', 'smtp']).default('ses'),
  MAIL_FROM: z.string().email(),
  SMTP_URL: z.string().optional(),
  PUBLIC_BASE_URL: z.string().url().optional(),
  STATE_MACHINE_ARN: z.string().optional(),
  AWS_ENDPOINT_URL_S3: z.string().optional(),
  BAOCAO_LOCAL: z.string().optional(),
  /** The report type this deployment compiles (a template id under shared/templates). */
  TEMPLATE_ID: z.string().min(1).default('cchc'),
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

export function requireVar<K extends keyof Env>(env: Env, name: K): NonNullable<Env[K]> {
  const value = env[name];
  if (value === undefined || value === '') throw new Error(`Missing environment variable ${String(name)}`);
  return value as NonNullable<Env[K]>;
}
