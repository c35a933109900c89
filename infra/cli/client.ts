/**
 * HTTP client of the baocao API, shared by the operator CLI and the demo. It walks the same
 * paths a person does: presigned POST straight to S3, decision links opened (GET) then confirmed (POST).
 */
import { readFile, writeFile } from 'node:fs/promises';
import { isLoopback, signedHeaders } from './sigv4';

export class ApiError extends Error {
  constructor(
    message: string,
    readonly status: number,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

export interface UploadResult {
  key: string;
  status: 'accepted' | 'refused';
  version?: number;
  errors: Array<{ label: string; message: string; field: string }>;
  warnings: Array<{ label: string; message: string; field: string }>;
}

export interface ReportView {
  report: {
    reportId: string;
    periodId: string;
    status: string;
    drafts: Array<{ version: number; fileName: string }>;
    decisions: Array<{ stepIndex: number; role: string; decision: string; decidedBy: string; decidedAt: string; comment?: string }>;
    approval?: { stepIndex: number; phase: string; deadline: string; stepStartedAt: string; done?: boolean };
    /** The number reserved in the register (before the signatures when the organization signs). */
    numbering?: { number: number; year: number; issuedAt: string };
    /** The signed original's progress (organizations that sign). */
    signing?: {
      signer: { phase: string; attempt: number; requests: number };
      signedPdfSha256?: string;
      /** The organization's signature waiting on its device (a provider that confirms later). */
      sealRequest?: { transactionId: string; requestedAt: string };
      sealedBy?: { signerName: string; by: string };
    };
    release?: {
      number: number;
      documentNumber: string;
      fileName: string;
      key: string;
      exports?: { json: string; xlsx: string };
      /** The signed original beside the .docx (organizations that sign). */
      pdf?: {
        key: string;
        fileName: string;
        sha256: string;
        signatures: Array<{ signerName: string; organization?: string; signedAt: string; testOnly: boolean }>;
      };
    };
    failure?: { error: string; cause: string };
    currentStep?: number;
  };
  execution?: { status: string; error?: string; cause?: string };
}

export interface InboxMessage {
  id: string;
  receivedAt: string;
  to: string[];
  subject: string;
  text: string;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export class BaocaoClient {
  /**
   * `scope.org` sends every operator call to /api/orgs/<org>/… (without it: the deployment's
   * default organization); `scope.type` names the report type (?type=…).
   */
  /**
   * `operatorToken`: the local system's per-start operator token (infra/local/operator.ts), sent as
   * a bearer token to a loopback API's /api and /_local/ (never to a deployed API, never to S3);
   * default: BAOCAO_OPERATOR_TOKEN (set by an in-process local runtime, or by the CLI from
   * .baocao/operator-token).
   */
  constructor(
    readonly baseUrl: string,
    readonly scope: { org?: string; type?: string } = {},
    private readonly operatorToken: string | undefined = process.env.BAOCAO_OPERATOR_TOKEN,
  ) {}

  /** /api/… of the organization (the organizations' own routes /api/orgs… are left as they are). */
  scoped(path: string): string {
    if (!path.startsWith('/api/') || path.startsWith('/api/orgs')) return path;
    let out = this.scope.org ? `/api/orgs/${encodeURIComponent(this.scope.org)}/${path.slice('/api/'.length)}` : path;
    if (this.scope.type) out += `${out.includes('?') ? '&' : '?'}type=${encodeURIComponent(this.scope.type)}`;
    return out;
  }

  /** A call to the API as JSON (public for the org commands). */
  async request<T>(path: string, init?: RequestInit): Promise<T> {
    return this.call<T>(path, init);
  }

  private async call<T>(path: string, init?: RequestInit): Promise<T> {
    const url = new URL(this.scoped(path), this.baseUrl);
    // A deployed API authorizes /api with IAM: sign with the caller's AWS credentials.
    if (!isLoopback(url) && url.pathname.startsWith('/api/')) {
      const headers = { ...((init?.headers as Record<string, string>) ?? {}) };
      const body = typeof init?.body === 'string' ? init.body : undefined;
      init = { ...init, headers: await signedHeaders(url, { method: init?.method, headers, body }) };
    }
    // The local system has no IAM: its operator token instead.
    if (isLoopback(url) && this.operatorToken && /^\/(api|_local)\//.test(url.pathname)) {
      init = { ...init, headers: { ...((init?.headers as Record<string, string>) ?? {}), authorization: `Bearer ${this.operatorToken}` } };
    }
    const res = await fetch(url, init);
    const text = await res.text();
    let data: unknown;
    try {
      data = text ? JSON.parse(text) : undefined;
    } catch {
      data = undefined;
    }
    if (!res.ok) {
      const message = (data as { message?: string } | undefined)?.message ?? `Hệ thống trả lời lỗi HTTP ${res.status}.`;
      throw new ApiError(message, res.status);
    }
    return data as T;
  }

  /** Submits one division's quarterly file exactly as the web form does, then waits for ingest. */
  async submit(file: string | Buffer, divisionId: string, periodId: string, timeoutMs = 30_000): Promise<UploadResult> {
    const body = typeof file === 'string' ? await readFile(file) : file;
    const post = await this.call<{ key: string; url: string; fields: Record<string, string> }>('/api/uploads', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ division: divisionId, period: periodId }),
    });
    const form = new FormData();
    for (const [k, v] of Object.entries(post.fields)) form.append(k, v);
    form.append('file', new Blob([new Uint8Array(body)], { type: 'application/json' }), 'submission.json');
    const up = await fetch(post.url, { method: 'POST', body: form });
    if (!up.ok) throw new ApiError(`Tải tệp lên kho lưu trữ không thành công (HTTP ${up.status}).`, up.status);
    const deadline = Date.now() + timeoutMs;
    let processing: string | undefined;
    while (Date.now() < deadline) {
      try {
        const answer = await this.call<UploadResult | { status: 'processing'; message?: string }>(
          `/api/uploads/status?key=${encodeURIComponent(post.key)}`,
        );
        // 202 "đang xử lý": keep polling.
        if (answer.status !== 'processing') return answer;
        processing = 'message' in answer ? answer.message : undefined;
      } catch (err) {
        if (!(err instanceof ApiError) || err.status !== 404) throw err;
      }
      await sleep(200);
    }
    throw new ApiError(`Hết thời gian chờ kết quả tiếp nhận tệp ${post.key}.${processing ? ` ${processing}` : ''}`, 504);
  }

  periodStatus(periodId: string) {
    return this.call<{
      period: { id: string; label: string };
      submissions: Array<{ divisionId: string; periodId: string; version: number; submittedAt: string }>;
      reports: Array<{ reportId: string; status: string }>;
    }>(`/api/periods/${encodeURIComponent(periodId)}`);
  }

  /** Starts a compile; `supersede` replaces the period's active (or released) report instead of answering 409. */
  compile(periodId: string, requestedBy?: string, reportFacts?: Record<string, string>, supersede?: boolean, desk?: boolean) {
    return this.call<{ reportId: string; executionArn: string; superseded?: string }>('/api/reports', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      // The report type travels in the body too: a type the organization does not compile is refused, never swapped.
      body: JSON.stringify({ periodId, requestedBy, reportFacts, supersede, reportType: this.scope.type, ...(desk ? { desk: true } : {}) }),
    });
  }

  /** "Gửi phê duyệt" from the editing desk: the draft is built with the edits saved on the desk. */
  sendFromDesk(reportId: string) {
    return this.call<{ ok: boolean }>(`/api/reports/${encodeURIComponent(reportId)}/desk/send`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{}',
    });
  }

  report(reportId: string) {
    return this.call<ReportView>(`/api/reports/${encodeURIComponent(reportId)}`);
  }

  /** Polls until the report reaches one of the given states (or a terminal one). */
  async waitForReport(reportId: string, states: string[], timeoutMs = 60_000): Promise<ReportView> {
    const terminal = ['released', 'rejected', 'abandoned', 'timed_out', 'failed', 'returned'];
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const view = await this.report(reportId);
      if (states.includes(view.report.status) || terminal.includes(view.report.status)) return view;
      if (Date.now() > deadline) throw new ApiError(`Hết thời gian chờ báo cáo ${reportId} (trạng thái: ${view.report.status}).`, 504);
      await sleep(250);
    }
  }

  /** Compiler actions on a report: resend the current step's email, recompile or abandon a returned report. */
  reportAction(reportId: string, action: 'resend' | 'recompile' | 'abandon' | 'resume', comment?: string) {
    return this.call<{ ok: boolean }>(`/api/reports/${encodeURIComponent(reportId)}/${action}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ comment }),
    });
  }

  audit(reportId: string) {
    return this.call<Array<{ at: string; actor: string; action: string; detail: Record<string, unknown> }>>(
      `/api/reports/${encodeURIComponent(reportId)}/audit`,
    );
  }

  /** Opens a quarter: every division gets an invite link by email. */
  openPeriod(periodId: string) {
    return this.call<{ periodId: string; sent: Array<{ divisionId: string; sentTo: string[]; expiresAt: string }> }>(
      `/api/periods/${encodeURIComponent(periodId)}/open`,
      { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' },
    );
  }

  /** Reopens a locked quarter for one division (revokes its links, mails a fresh one). */
  reopen(periodId: string, divisionId: string) {
    return this.call<{ periodId: string; divisionId: string; reopenedUntil: string; sentTo: string[] }>(
      `/api/periods/${encodeURIComponent(periodId)}/reopen`,
      { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ division: divisionId }) },
    );
  }

  completeness(periodId: string) {
    return this.call<{
      periodId: string;
      deadlineEnd: string;
      divisions: Array<{
        divisionId: string;
        divisionName: string;
        status: string;
        version?: number;
        submittedAt?: string;
        remindersSent: number;
        lastReminderAt?: string;
      }>;
      counts: Record<string, number>;
    }>(`/api/periods/${encodeURIComponent(periodId)}/completeness`);
  }

  /** Mails the divisions still missing a fresh invite link. */
  remind(periodId: string) {
    return this.call<{
      periodId: string;
      reminded: Array<{ divisionId: string; sentTo: string[] }>;
      skipped: Array<{ divisionId: string; reason: string }>;
    }>(`/api/periods/${encodeURIComponent(periodId)}/remind`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{}',
    });
  }

  approvals() {
    return this.call<Array<{ reportId: string; stepIndex: number; role: string; approverEmail: string; expiresAt: string }>>(
      '/api/approvals',
    );
  }

  /** Local system only: the embedded mail catcher's inbox. */
  inbox() {
    return this.call<InboxMessage[]>('/_local/inbox.json');
  }

  /** Opens a decision link like a mail client would (GET, must change nothing), then confirms with a POST. */
  decide(link: string, decision: 'approve' | 'return', comment?: string): Promise<string> {
    return this.act(link, { decision, comment: comment ?? '' });
  }

  /** Opens a page reached by an emailed link like a mail client would (GET, must change nothing), then posts its form (a decision, the văn thư's seal, the local phone's confirmation). */
  async act(link: string, fields: Record<string, string> = {}): Promise<string> {
    const view = await fetch(link);
    const page = await view.text();
    if (!view.ok) throw new ApiError(textOf(page), view.status);
    const res = await fetch(link, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams(fields).toString(),
    });
    const answer = textOf(await res.text());
    if (!res.ok) throw new ApiError(answer, res.status);
    return answer;
  }

  /** Downloads the released report (or the latest draft) to a file. */
  async fetchReport(reportId: string, outFile?: string, draft = false, format: 'docx' | 'json' | 'xlsx' = 'docx'): Promise<string> {
    const query = new URLSearchParams({ format, ...(draft ? { draft: '1' } : {}) });
    const link = await this.call<{ url: string; fileName: string }>(`/api/reports/${encodeURIComponent(reportId)}/download?${query}`);
    return this.download(link.url, outFile ?? link.fileName);
  }

  async download(url: string, outFile: string): Promise<string> {
    const res = await fetch(url);
    if (!res.ok) throw new ApiError(`Tải báo cáo không thành công (HTTP ${res.status}).`, res.status);
    await writeFile(outFile, Buffer.from(await res.arrayBuffer()));
    return outFile;
  }
}

/** The decision link in an approval email, the download link in a release email, or a division's invite link. */
export function linksIn(text: string, kind: 'decision' | 'download' | 'nop' | 'seal' | 'signing' | '_local/sign'): string[] {
  // The whole link only: not the decision link's own /draft route.
  return [...text.matchAll(new RegExp(`https?://\\S+/${kind}/[A-Za-z0-9_-]+(?![A-Za-z0-9_/-])`, 'g'))].map((m) => m[0]);
}

/** Main message of one of our HTML pages, for terminal output. */
function textOf(htmlPage: string): string {
  const main = /<main>([\s\S]*)<\/main>/.exec(htmlPage)?.[1] ?? htmlPage;
  return main
    .replace(/<[^>]+>/g, ' ')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&amp;/g, '&')
    .replace(/\s+/g, ' ')
    .trim();
}
