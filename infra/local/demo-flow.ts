/**
 * The whole path, driven from outside like real users: divisions upload through presigned POSTs,
 * the compiler starts the compile, approvers open their email links and confirm, recipients download.
 */
import { mkdir, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { organization } from '../../shared/config';
import type { Organization } from '../../shared/config/schema';
import { periodName } from '../../shared/format/period-name';
import { sampleReportFacts } from '../../shared/sample';
import { type BaocaoClient, linksIn } from '../cli/client';

export const SAMPLE_DIR = join(import.meta.dirname, '../../shared/sample/submissions');

export interface DemoOptions {
  periodId: string;
  quarters: string[];
  outDir: string;
  /** Return (reject) at this 0-based approval step instead of approving. */
  returnAtStep?: number;
  returnComment?: string;
  /** Replace the period's active report (a test compiling one period again). */
  supersede?: boolean;
  /** The organization signs (withLocalSigning): confirm on the local phone, seal as the văn thư, fetch the signed PDF too. */
  signing?: boolean;
  /** Another department (default: the bundled one): its samples (`<dir>/<quarter>/<DIV>.json`), report facts and approval chain. */
  department?: { sampleDir: string; reportFacts: Record<string, string>; organization: Pick<Organization, 'compiler' | 'approvalChain'> };
  log?: (line: string) => void;
}

export interface DemoResult {
  reportId: string;
  status: string;
  releasedFile?: string;
  /** The signed original (PDF with the person's and the organization's signatures), beside the .docx. */
  signedPdf?: string;
  failureCause?: string;
}

export async function submitSamples(client: BaocaoClient, quarters: string[], log: (l: string) => void, sampleDir = SAMPLE_DIR) {
  for (const quarter of quarters) {
    const dir = join(sampleDir, quarter);
    const files = (await readdir(dir)).filter((f) => f.endsWith('.json')).sort();
    for (const file of files) {
      const divisionId = file.replace(/\.json$/, '');
      const res = await client.submit(join(dir, file), divisionId, quarter);
      if (res.status !== 'accepted') {
        throw new Error(`Số liệu ${quarter} của ${divisionId} bị từ chối: ${res.errors.map((e) => `${e.label}: ${e.message}`).join('; ')}`);
      }
      const name = organization.divisions.find((d) => d.id === divisionId)?.name ?? divisionId;
      log(
        `Đã nộp ${periodName(quarter)} — ${name} (lần nộp thứ ${res.version}${res.warnings.length ? `, ${res.warnings.length} cảnh báo` : ''})`,
      );
    }
  }
}

export async function runDemoFlow(client: BaocaoClient, opts: DemoOptions): Promise<DemoResult> {
  const log = opts.log ?? (() => {});
  const dept = opts.department;
  await submitSamples(client, opts.quarters, log, dept?.sampleDir);

  const { reportId } = await client.compile(
    opts.periodId,
    (dept?.organization ?? organization).compiler.email,
    dept?.reportFacts ?? sampleReportFacts(opts.periodId),
    opts.supersede,
  );
  log(`Bắt đầu tổng hợp báo cáo ${reportId}`);

  return approveAndFetch(client, reportId, opts);
}

/** Walks the approval chain by the emailed links (or returns at a step), then fetches the released report. */
export async function approveAndFetch(
  client: BaocaoClient,
  reportId: string,
  opts: Omit<DemoOptions, 'periodId' | 'quarters'>,
): Promise<DemoResult> {
  const log = opts.log ?? (() => {});
  const usedLinks = new Set<string>();
  for (const [stepIndex, step] of (opts.department?.organization ?? organization).approvalChain.entries()) {
    const view = await client.waitForReport(reportId, ['awaiting_approval'], 120_000);
    if (view.report.status !== 'awaiting_approval') return outcome(client, reportId);
    const since = view.report.approval?.stepStartedAt ?? '';
    const link = await waitForDecisionLink(
      client,
      step.approvers.map((a) => a.email),
      usedLinks,
      since,
    );
    usedLinks.add(link);
    if (opts.returnAtStep === stepIndex) {
      await client.decide(link, 'return', opts.returnComment ?? 'Đề nghị bổ sung số liệu.');
      log(`Bước ${stepIndex + 1} (${step.role}): trả lại`);
      await client.waitForReport(reportId, ['returned'], 60_000);
      return outcome(client, reportId);
    }
    await client.decide(link, 'approve');
    log(`Bước ${stepIndex + 1} (${step.role}): đồng ý`);
    await waitUntil(async () => {
      const r = (await client.report(reportId)).report;
      // After the last step the report stays awaiting_approval while it is signed: the chain is done.
      return r.status !== 'awaiting_approval' || (r.currentStep ?? 0) > stepIndex || r.approval?.done === true;
    });
  }

  if (opts.signing) await signAndSeal(client, log);

  const done = await client.waitForReport(reportId, ['released'], 120_000);
  if (done.report.status !== 'released' || !done.report.release) return outcome(client, reportId);
  const release = done.report.release;
  log(`Đã ban hành ${release.documentNumber}`);

  // Recipients get the report through the link in their release email.
  const mail = await waitForMessage(client, (m) => m.subject.startsWith('[Ban hành]') && m.text.includes(release.documentNumber));
  const download = linksIn(mail.text, 'download')[0];
  if (!download) throw new Error('Thư ban hành không có liên kết tải báo cáo.');
  await mkdir(opts.outDir, { recursive: true });
  if (!release.pdf)
    return { reportId, status: 'released', releasedFile: await client.download(download, join(opts.outDir, release.fileName)) };
  // The signed original: the link's page verifies both signatures, then offers the PDF (and the .docx).
  const page = await fetch(download).then((r) => r.text());
  if (!page.includes('chữ ký số đều hợp lệ')) throw new Error('Trang tải văn bản không xác nhận được các chữ ký số.');
  log(`Người nhận: ${release.pdf.signatures.length} chữ ký số hợp lệ (${release.pdf.signatures.map((s) => s.signerName).join('; ')})`);
  const signedPdf = await client.download(`${download}/pdf`, join(opts.outDir, release.pdf.fileName));
  const file = await client.download(`${download}/docx`, join(opts.outDir, release.fileName));
  return { reportId, status: 'released', releasedFile: file, signedPdf };
}

/** The competent person confirms on the local phone; then the văn thư opens the emailed link and signs for the organization. */
async function signAndSeal(client: BaocaoClient, log: (l: string) => void) {
  const ask = await waitForMessage(client, (m) => m.subject.startsWith('[Cần ký số]') && linksIn(m.text, '_local/sign').length > 0);
  await client.act(linksIn(ask.text, '_local/sign')[0], { action: 'confirm' });
  log('Người có thẩm quyền đã xác nhận ký số (điện thoại thử nghiệm)');
  const seal = await waitForMessage(client, (m) => m.subject.startsWith('[Cần ký số cơ quan]') && linksIn(m.text, 'seal').length > 0);
  await client.act(linksIn(seal.text, 'seal')[0]);
  log('Văn thư đã ký số của cơ quan');
}

async function outcome(client: BaocaoClient, reportId: string): Promise<DemoResult> {
  const { report } = await client.report(reportId);
  return { reportId, status: report.status, failureCause: report.failure?.cause };
}

/** The newest approval email to one of `to` whose link has not been used (the inbox lists newest first). */
async function waitForDecisionLink(client: BaocaoClient, to: string[], used: Set<string>, since: string): Promise<string> {
  const mail = await waitForMessage(
    client,
    (m) =>
      m.subject.startsWith('[Cần phê duyệt]') &&
      m.receivedAt >= since &&
      m.to.some((t) => to.includes(t)) &&
      linksIn(m.text, 'decision').some((l) => !used.has(l)),
  );
  return linksIn(mail.text, 'decision').find((l) => !used.has(l))!;
}

async function waitForMessage(client: BaocaoClient, pred: (m: Awaited<ReturnType<BaocaoClient['inbox']>>[number]) => boolean) {
  let found: Awaited<ReturnType<BaocaoClient['inbox']>>[number] | undefined;
  await waitUntil(async () => {
    found = (await client.inbox()).find(pred);
    return Boolean(found);
  });
  return found!;
}

async function waitUntil(check: () => Promise<boolean>, timeoutMs = 60_000) {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error('Hết thời gian chờ.');
    await new Promise((r) => setTimeout(r, 200));
  }
}
