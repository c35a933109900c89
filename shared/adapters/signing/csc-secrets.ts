/**
 * Where a remote signing service's client credentials come from. They are never organization
 * data: the organization names a secret (`signing.*.provider.secretName`), and
 * - on AWS (SIGNING_SECRETS_PREFIX set by the stack) it is the Secrets Manager secret
 *   `<prefix><secretName>`, read on first use and kept 5 minutes so a rotation reaches warm functions;
 * - locally (npm start, tests) it is the environment variable `<secretName>`.
 * Either holds `{ "clientId", "clientSecret", "userId" }`.
 */
import type { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { ValidationError } from '../../errors';
import type { CscAccount } from './remote-csc-provider';

export interface RemoteAccountRef {
  baseUrl: string;
  credentialId: string;
  secretName: string;
}

const TTL_MS = 5 * 60_000;

type Credentials = Pick<CscAccount, 'clientId' | 'clientSecret' | 'userId'>;

function account(p: RemoteAccountRef, raw: string | undefined, where: string): CscAccount {
  const parsed = (() => {
    try {
      return raw ? (JSON.parse(raw) as Partial<Credentials>) : undefined;
    } catch {
      return undefined;
    }
  })();
  if (!parsed?.clientId || !parsed.clientSecret || !parsed.userId) {
    throw new ValidationError(
      `Chưa có thông tin truy cập dịch vụ ký số từ xa (${p.baseUrl}): ${where} cần clientId, clientSecret và userId (JSON).`,
    );
  }
  return {
    baseUrl: p.baseUrl,
    credentialId: p.credentialId,
    clientId: parsed.clientId,
    clientSecret: parsed.clientSecret,
    userId: parsed.userId,
  };
}

/** From the environment variable the organization names (local runtime, tests). */
export function cscAccount(p: RemoteAccountRef, env: NodeJS.ProcessEnv = process.env): CscAccount {
  return account(p, env[p.secretName], `biến bí mật "${p.secretName}"`);
}

/** Reads secrets from Secrets Manager under one prefix, each kept TTL_MS. */
export class SecretsManagerAccounts {
  private readonly cache = new Map<string, { at: number; value: Promise<string | undefined> }>();

  constructor(
    private readonly prefix: string,
    private readonly client: () => Promise<SecretsManagerClient>,
    private readonly now: () => number = Date.now,
  ) {}

  async account(p: RemoteAccountRef): Promise<CscAccount> {
    const id = `${this.prefix}${p.secretName}`;
    const hit = this.cache.get(id);
    let value = hit && this.now() - hit.at < TTL_MS ? hit.value : undefined;
    if (!value) {
      value = this.read(id);
      this.cache.set(id, { at: this.now(), value });
      value.catch(() => this.cache.delete(id));
    }
    return account(p, await value, `bí mật "${id}" (AWS Secrets Manager)`);
  }

  private async read(id: string): Promise<string | undefined> {
    const { GetSecretValueCommand } = await import('@aws-sdk/client-secrets-manager');
    try {
      const out = await (await this.client()).send(new GetSecretValueCommand({ SecretId: id }));
      return out.SecretString;
    } catch (err) {
      if ((err as { name?: string }).name === 'ResourceNotFoundException') return undefined;
      throw err;
    }
  }
}

let shared: SecretsManagerAccounts | undefined;

/** The process's source of remote-signing credentials, by its environment. */
export function remoteAccountSource(env: NodeJS.ProcessEnv = process.env): (p: RemoteAccountRef) => CscAccount | Promise<CscAccount> {
  const prefix = env.SIGNING_SECRETS_PREFIX;
  if (!prefix) return (p) => cscAccount(p, env);
  shared ??= new SecretsManagerAccounts(prefix, async () => {
    const { SecretsManagerClient } = await import('@aws-sdk/client-secrets-manager');
    return new SecretsManagerClient({});
  });
  const accounts = shared;
  return (p) => accounts.account(p);
}
