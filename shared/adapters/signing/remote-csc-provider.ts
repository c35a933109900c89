/**
 * Remote signing in the Cloud Signature Consortium shape the Vietnamese CAs' services follow
 * (VNPT SmartCA, Viettel MySign, the Cipher Committee's mPKI): a token, the signer's credential
 * and certificate chain, then `signHash` — the person confirms on their phone and the client
 * polls for the raw signature. Requests expire after about five minutes and can be rejected.
 *
 * Endpoints (relative to the account's base URL; vendors differ, so each path is configurable):
 *   POST oauth2/token          {grant_type: client_credentials, client_id, client_secret} → {access_token, expires_in}
 *   POST credentials/list      {userID}                         → {credentialIDs: [...]}
 *   POST credentials/info      {credentialID, certificates: "chain"} → {key: {algo: [oid]}, cert: {certificates: [b64 DER]}}
 *   POST signatures/signHash   {credentialID, hashes: [b64], hashAlgorithmOID, signAlgo, operationMode: "A",
 *                               validity_period, clientData: requestId, description}
 *                              → {signatures: [b64]} at once, or {responseID, expiresIn} to poll
 *   POST signatures/result     {responseID} → {status: PENDING|SIGNED|REJECTED|EXPIRED, signatures?, reason?}
 * Reads (token, list, info, result) are retried on outages; signHash only when the connection
 * was refused (the request never reached the service, so no second prompt on the phone).
 */
import { SigningError } from '../../signing/errors';
import type {
  SignatureAlgorithm,
  SignatureOutcome,
  SignatureRequest,
  SignerRef,
  SigningCredential,
  SigningProvider,
} from '../../signing/ports';
import { signerKey, signerLabel } from '../../signing/signer-key';

export interface CscAccount {
  baseUrl: string;
  clientId: string;
  clientSecret: string;
  /** The signer's account at the CA (phone number, citizen id …). */
  userId: string;
  /** Which credential to use when the account has several (default: the first listed). */
  credentialId?: string;
}

export interface CscProviderOptions {
  /** Endpoints and credentials per organization and person (from the organization's stored data). */
  accountFor(signer: SignerRef): CscAccount | undefined | Promise<CscAccount | undefined>;
  /** Service name in messages, e.g. "VNPT SmartCA". */
  serviceName?: string;
  paths?: Partial<Record<'token' | 'list' | 'info' | 'signHash' | 'result', string>>;
  /** Attempts for a safe request (default 3) and the pause between them (default 300 ms). */
  attempts?: number;
  retryDelayMs?: number;
  timeoutMs?: number;
  /** Seconds a request stays open for the person's confirmation (default 300). */
  validitySeconds?: number;
  testOnly?: boolean;
  now?: () => Date;
  fetch?: typeof fetch;
}

const PATHS = {
  token: 'oauth2/token',
  list: 'credentials/list',
  info: 'credentials/info',
  signHash: 'signatures/signHash',
  result: 'signatures/result',
};
const SHA256 = '2.16.840.1.101.3.4.2.1';
const RSA = '1.2.840.113549.1.1.1';
const ECDSA_SHA256 = '1.2.840.10045.4.3.2';

type Json = Record<string, unknown>;

class Unreachable extends Error {
  constructor(
    readonly refused: boolean,
    message: string,
  ) {
    super(message);
  }
}

export class CscSigningProvider implements SigningProvider {
  readonly kind = 'remote' as const;
  private tokens = new Map<string, { token: string; until: number }>();
  private credentials = new Map<string, { id: string; credential: SigningCredential }>();
  private readonly service: string;
  private readonly now: () => Date;

  constructor(private readonly o: CscProviderOptions) {
    this.service = o.serviceName ?? 'dịch vụ ký số từ xa';
    this.now = o.now ?? (() => new Date());
  }

  async credential(signer: SignerRef): Promise<SigningCredential> {
    return (await this.resolve(signer)).credential;
  }

  async requestSignature(signer: SignerRef, request: SignatureRequest): Promise<SignatureOutcome> {
    const account = await this.account(signer);
    const { id, credential } = await this.resolve(signer);
    const validity = this.o.validitySeconds ?? 300;
    const body = {
      credentialID: id,
      hashes: [Buffer.from(request.digest).toString('base64')],
      hashAlgorithmOID: SHA256,
      signAlgo: credential.algorithm === 'ECDSA_SHA_256' ? ECDSA_SHA256 : RSA,
      operationMode: 'A',
      validity_period: validity,
      clientData: request.requestId,
      description: request.description,
    };
    const res = await this.call(account, 'signHash', body, { retry: 'refused-only' });
    const sigs = res.signatures;
    if (Array.isArray(sigs) && typeof sigs[0] === 'string') return { status: 'signed', signature: Buffer.from(sigs[0], 'base64') };
    if (typeof res.responseID !== 'string') throw this.malformed('signHash');
    const seconds = typeof res.expiresIn === 'number' ? res.expiresIn : validity;
    return { status: 'pending', transactionId: res.responseID, expiresAt: new Date(this.now().getTime() + seconds * 1000).toISOString() };
  }

  async pollSignature(signer: SignerRef, transactionId: string): Promise<SignatureOutcome> {
    const account = await this.account(signer);
    const res = await this.call(account, 'result', { responseID: transactionId }, { retry: 'safe' });
    const status = String(res.status ?? '').toUpperCase();
    const sigs = res.signatures;
    if (status === 'SIGNED' && Array.isArray(sigs) && typeof sigs[0] === 'string')
      return { status: 'signed', signature: Buffer.from(sigs[0], 'base64') };
    if (status === 'PENDING') {
      const expiresAt = typeof res.expiresAt === 'string' ? res.expiresAt : new Date(this.now().getTime() + 60_000).toISOString();
      return { status: 'pending', transactionId, expiresAt };
    }
    if (status === 'REJECTED')
      return { status: 'rejected', reason: typeof res.reason === 'string' && res.reason ? res.reason : 'Người ký từ chối trên thiết bị.' };
    if (status === 'EXPIRED') return { status: 'expired' };
    throw this.malformed('signatures/result');
  }

  private async account(signer: SignerRef): Promise<CscAccount> {
    const a = await this.o.accountFor(signer);
    if (!a) throw new SigningError('provider-config', `Chưa cấu hình tài khoản ${this.service} cho ${signerLabel(signer)}.`, 500);
    return a;
  }

  private async resolve(signer: SignerRef): Promise<{ id: string; credential: SigningCredential }> {
    const key = signerKey(signer);
    const cached = this.credentials.get(key);
    if (cached) return cached;
    const account = await this.account(signer);
    let id = account.credentialId;
    if (!id) {
      const list = await this.call(account, 'list', { userID: account.userId }, { retry: 'safe' });
      const ids = Array.isArray(list.credentialIDs) ? list.credentialIDs.filter((x): x is string => typeof x === 'string') : [];
      if (ids.length === 0)
        throw new SigningError('provider-config', `Tài khoản ${this.service} của ${signerLabel(signer)} chưa có chứng thư số nào.`, 500);
      id = ids[0];
    }
    const info = await this.call(account, 'info', { credentialID: id, certificates: 'chain' }, { retry: 'safe' });
    const cert = info.cert as Json | undefined;
    const certs = Array.isArray(cert?.certificates) ? cert.certificates.filter((c): c is string => typeof c === 'string') : [];
    if (certs.length === 0) throw this.malformed('credentials/info');
    const algos = ((info.key as Json | undefined)?.algo as unknown[] | undefined) ?? [];
    const algorithm: SignatureAlgorithm = algos.some((a) => typeof a === 'string' && a.startsWith('1.2.840.10045.'))
      ? 'ECDSA_SHA_256'
      : 'RSASSA_PKCS1_V1_5_SHA_256';
    const resolved = {
      id,
      credential: { algorithm, chain: certs.map((c) => new Uint8Array(Buffer.from(c, 'base64'))), testOnly: this.o.testOnly ?? false },
    };
    this.credentials.set(key, resolved);
    return resolved;
  }

  private malformed(what: string): SigningError {
    return new SigningError('provider-unavailable', `${this.service} trả lời không đúng định dạng (${what}).`, 502, true);
  }

  private async token(account: CscAccount): Promise<string> {
    const key = `${account.baseUrl}|${account.clientId}`;
    const cached = this.tokens.get(key);
    if (cached && cached.until > this.now().getTime()) return cached.token;
    const res = await this.request(
      account,
      'token',
      { grant_type: 'client_credentials', client_id: account.clientId, client_secret: account.clientSecret },
      'safe',
    );
    if (typeof res.access_token !== 'string') throw this.malformed('oauth2/token');
    const seconds = typeof res.expires_in === 'number' ? res.expires_in : 300;
    this.tokens.set(key, { token: res.access_token, until: this.now().getTime() + (seconds - 30) * 1000 });
    return res.access_token;
  }

  private async call(account: CscAccount, path: keyof typeof PATHS, body: Json, o: { retry: 'safe' | 'refused-only' }): Promise<Json> {
    const token = await this.token(account);
    try {
      return await this.request(account, path, body, o.retry, token);
    } catch (err) {
      // An expired token: get a new one once.
      if (err instanceof SigningError && err.status === 401) {
        this.tokens.delete(`${account.baseUrl}|${account.clientId}`);
        return this.request(account, path, body, o.retry, await this.token(account));
      }
      throw err;
    }
  }

  private async request(
    account: CscAccount,
    path: keyof typeof PATHS,
    body: Json,
    retry: 'safe' | 'refused-only',
    token?: string,
  ): Promise<Json> {
    const url = new URL(this.o.paths?.[path] ?? PATHS[path], account.baseUrl.endsWith('/') ? account.baseUrl : `${account.baseUrl}/`);
    const attempts = this.o.attempts ?? 3;
    let last: Unreachable | undefined;
    for (let attempt = 1; attempt <= attempts; attempt++) {
      if (attempt > 1) await new Promise((r) => setTimeout(r, (this.o.retryDelayMs ?? 300) * 2 ** (attempt - 2)));
      try {
        return await this.once(url, body, token, path);
      } catch (err) {
        if (!(err instanceof Unreachable)) throw err;
        last = err;
        if (retry === 'refused-only' && !err.refused) break;
      }
    }
    const again = path === 'signHash' && !last?.refused ? ' Yêu cầu ký có thể đã tới điện thoại người ký: kiểm tra trước khi gửi lại.' : '';
    throw new SigningError(
      'provider-unavailable',
      `Không kết nối được ${this.service} (${last?.message ?? 'lỗi mạng'}).${again}`,
      503,
      true,
    );
  }

  private async once(url: URL, body: Json, token: string | undefined, path: string): Promise<Json> {
    let res: Response;
    try {
      res = await (this.o.fetch ?? fetch)(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
        body: JSON.stringify(body),
        signal: AbortSignal.timeout(this.o.timeoutMs ?? 10_000),
      });
    } catch (err) {
      const code = (err as { cause?: { code?: string } }).cause?.code;
      throw new Unreachable(code === 'ECONNREFUSED', code === 'ECONNREFUSED' ? 'từ chối kết nối' : (code ?? (err as Error).name));
    }
    if (res.status >= 500 || res.status === 429) throw new Unreachable(false, `lỗi ${res.status}`);
    let json: Json;
    try {
      json = (await res.json()) as Json;
    } catch {
      throw this.malformed(path);
    }
    if (res.ok) return json;
    const detail =
      typeof json.error_description === 'string'
        ? json.error_description
        : typeof json.error === 'string'
          ? json.error
          : `HTTP ${res.status}`;
    if (res.status === 401 || res.status === 403) {
      throw new SigningError('provider-config', `${this.service} từ chối thông tin đăng nhập (${detail}).`, res.status);
    }
    throw new SigningError('provider-refused', `${this.service} từ chối yêu cầu (${detail}).`, 400);
  }
}
