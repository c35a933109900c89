import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import JSZip from 'jszip';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BaocaoClient, linksIn } from '../../infra/cli/client';
import { approveAndFetch, runDemoFlow, SAMPLE_DIR } from '../../infra/local/demo-flow';
import { type LocalRuntime, startLocalRuntime } from '../../infra/local/runtime';
import { organization } from '../../shared/config';
import { organizationForReportType } from '../../shared/domain/ownership';
import { DEPARTMENTS } from '../support/departments';

let runtime: LocalRuntime;
let client: BaocaoClient;
let outDir: string;

beforeAll(async () => {
  outDir = await mkdtemp(join(tmpdir(), 'baocao-it-'));
  // Both sample departments in one deployment: the bundled one and Sở Tư pháp.
  runtime = await startLocalRuntime({ port: 0, organizations: [DEPARTMENTS[1].document] });
  client = new BaocaoClient(runtime.urls.api);
});

afterAll(async () => {
  await runtime?.stop();
  await rm(outDir, { recursive: true, force: true });
});

/** The report is released before NotifyRecipients ends the run: wait (bounded) for the execution to end. */
async function settled(...args: [string] | [BaocaoClient, string]) {
  const [own, reportId] = args.length === 1 ? [client, args[0]] : args;
  for (let i = 0; i < 100; i++) {
    const view = await own.report(reportId);
    if (view.execution?.status !== 'RUNNING') return view;
    await new Promise((r) => setTimeout(r, 100));
  }
  return own.report(reportId);
}

async function documentXml(file: string): Promise<string> {
  const zip = await JSZip.loadAsync(await readFile(file));
  return (await zip.file('word/document.xml')?.async('string')) ?? '';
}

/** What the division's form does: presigned POST from its invite link, straight to S3, then poll. */
async function uploadThroughInvite(link: string, submission: unknown) {
  const post = await (
    await fetch(`${link}/upload`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ kind: 'json' }),
    })
  ).json();
  const form = new FormData();
  for (const [k, v] of Object.entries(post.fields as Record<string, string>)) form.append(k, v);
  form.append('file', new Blob([JSON.stringify(submission)], { type: 'application/json' }), 'so-lieu.json');
  expect((await fetch(post.url, { method: 'POST', body: form })).ok).toBe(true);
  for (let i = 0; i < 100; i++) {
    const res = await fetch(`${link}/status?key=${encodeURIComponent(post.key)}`);
    if (res.status === 200) return res.json();
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error('no ingest result');
}

async function newestDecisionLink(): Promise<string> {
  const mail = (await client.inbox()).find((m) => m.subject.includes('Cần phê duyệt') && linksIn(m.text, 'decision').length > 0);
  return linksIn(mail!.text, 'decision')[0];
}

describe('the synthesized state machine on the embedded runtime', () => {
  // Each department with its own report type: numbered in its own register, with its own code.
  const released: Record<string, string> = {};
  it.each(DEPARTMENTS)('runs submit → compile → approve → approve → release for $name and delivers the numbered report', async (dept) => {
    const own =
      dept.organization.id === organization.id
        ? client
        : new BaocaoClient(runtime.urls.api, { org: dept.organization.id, type: dept.reportType });
    const result = await runDemoFlow(own, {
      periodId: dept.periodId,
      quarters: dept.quarters,
      outDir,
      department: {
        sampleDir: dept.sampleDir,
        reportFacts: dept.reportFacts,
        organization: organizationForReportType(dept.organization, dept.template),
      },
    });
    expect(result.status).toBe('released');
    expect(result.reportId.startsWith(`${dept.organization.id}.${dept.reportType}.`)).toBe(true);
    const xml = (await documentXml(result.releasedFile!)).normalize('NFC');
    for (const f of dept.expected.figures.slice(0, 2)) expect(xml).toContain(f);
    expect(xml).toContain(dept.expected.subject);
    expect(xml).toContain(`01/${dept.expected.documentCode}`);
    expect(xml).not.toContain('DỰ THẢO');
    for (const f of dept.expected.foreign) expect(xml).not.toContain(f);

    const { report, execution } = await settled(own, result.reportId);
    expect(execution?.status).toBe('SUCCEEDED');
    expect(report.decisions.map((d) => [d.stepIndex, d.decision])).toEqual([
      [0, 'approve'],
      [1, 'approve'],
    ]);
    expect(report.release?.documentNumber).toBe(`Số: 01/${dept.expected.documentCode}`);
    // The released model is stored beside the .docx: the compiler's view reads the same document.
    const releasedModel = await own.request<{ mode: string; header: { numberLine: string } }>(
      `/api/reports/${encodeURIComponent(result.reportId)}/released`,
    );
    expect(releasedModel).toMatchObject({ mode: 'final', header: { numberLine: `Số: 01/${dept.expected.documentCode}` } });
    released[dept.organization.id] = result.reportId;
  });

  it("an operator of one department does not find the other's released report", async () => {
    const sct = released[organization.id];
    const stp = released[DEPARTMENTS[1].organization.id];
    expect(sct && stp).toBeTruthy();
    const stpClient = new BaocaoClient(runtime.urls.api, { org: DEPARTMENTS[1].organization.id, type: 'kstt' });
    await expect(stpClient.report(sct)).rejects.toThrow(/Không tìm thấy báo cáo/);
    await expect(client.report(stp)).rejects.toThrow(/Không tìm thấy báo cáo/);
    expect((await stpClient.report(stp)).report.status).toBe('released');
  });

  it('a return at step 2 → reopen for the division → corrected figures → recompile → draft v2 → approve, approve → released', async () => {
    const comment = 'Đề nghị Văn phòng rà soát lại số liệu quý I.';
    const first = await runDemoFlow(client, {
      periodId: '2021-Q1',
      quarters: ['2021-Q1'],
      outDir,
      returnAtStep: 1,
      returnComment: comment,
    });
    expect(first.status).toBe('returned');
    const inbox = await client.inbox();
    expect(
      inbox.some((m) => m.subject.startsWith('[Trả lại]') && m.to.includes(organization.compiler.email) && m.text.includes(comment)),
    ).toBe(true);

    // The compiler reopens the (long locked) quarter for VP, which gets a fresh form link and
    // sends its corrected figures through it; then the compiler recompiles into draft v2 and the
    // chain restarts at step 1.
    const reopened = await client.reopen('2021-Q1', 'VP');
    const invite = (await client.inbox()).find((m) => m.to.includes(reopened.sentTo[0]) && linksIn(m.text, 'nop').length > 0);
    const link = linksIn(invite!.text, 'nop')[0];
    const corrected = JSON.parse(await readFile(join(SAMPLE_DIR, '2021-Q1', 'VP.json'), 'utf8'));
    corrected.narratives.chiDaoDieuHanh = [...(corrected.narratives.chiDaoDieuHanh ?? []), 'Bổ sung theo ý kiến của Phó Giám đốc.'];
    const accepted = await uploadThroughInvite(link, corrected);
    expect(accepted).toMatchObject({ status: 'accepted', divisionId: 'VP' });
    await client.reportAction(first.reportId, 'recompile');
    // Step 1's approver approved draft v1: their page for v2 says what changed since.
    let v2Page = '';
    for (let i = 0; i < 100 && !v2Page.includes('Dự thảo lần 2'); i++) {
      await new Promise((r) => setTimeout(r, 100));
      const mail = (await client.inbox()).find((m) => m.subject.includes('Cần phê duyệt') && linksIn(m.text, 'decision').length > 0);
      v2Page = mail ? await (await fetch(linksIn(mail.text, 'decision')[0])).text() : '';
    }
    expect(v2Page).toContain('Thay đổi so với dự thảo lần 1 đồng chí đã cho ý kiến');
    expect(v2Page).toMatch(/<li>Thêm: <ins>[^<]*Bổ sung theo ý kiến của Phó Giám đốc\./);
    const second = await approveAndFetch(client, first.reportId, { outDir });
    expect(second.status).toBe('released');

    const { report, execution } = await settled(first.reportId);
    expect(execution?.status).toBe('SUCCEEDED');
    expect(report.drafts.map((d) => d.version)).toEqual([1, 2]);
    expect(report.decisions.map((d) => [d.stepIndex, d.decision])).toEqual([
      [0, 'approve'],
      [1, 'return'],
      [0, 'approve'],
      [1, 'approve'],
    ]);
    const audit = await client.audit(first.reportId);
    expect(audit.map((a) => a.action)).toEqual(
      expect.arrayContaining(['submission.accepted', 'report.returned', 'report.recompile', 'report.released']),
    );
    expect(audit.some((a) => a.action === 'submission.accepted' && a.detail.via === 'invite' && a.actor === 'VP')).toBe(true);
  });

  it('a returned report the compiler abandons ends as a failure with the comment stored', async () => {
    const comment = 'Số liệu chưa đầy đủ, dừng báo cáo này.';
    const first = await runDemoFlow(client, {
      periodId: '2021-Q1',
      quarters: [],
      outDir,
      returnAtStep: 0,
      returnComment: 'Thiếu số liệu.',
      // 2021-Q1 was released by the test before: a new compile of it replaces that report.
      supersede: true,
    });
    expect(first.status).toBe('returned');
    await client.reportAction(first.reportId, 'abandon', comment);
    const view = await client.waitForReport(first.reportId, ['rejected'], 30_000);
    // waitForReport also stops on 'returned'; poll until the execution has ended.
    let { report, execution } = view;
    for (let i = 0; i < 100 && execution?.status === 'RUNNING'; i++) {
      await new Promise((r) => setTimeout(r, 100));
      ({ report, execution } = await client.report(first.reportId));
    }
    expect(execution?.status).toBe('FAILED');
    expect(execution?.error).toBe('Rejected'); // Fail state ReportRejected
    expect(report.status).toBe('rejected');
    expect(report.failure).toEqual({ error: 'Rejected', cause: comment });
    expect(report.decisions.at(-1)).toMatchObject({ stepIndex: 0, decision: 'return', comment: 'Thiếu số liệu.' });
    await expect(client.reportAction(first.reportId, 'recompile')).rejects.toThrow(/không ở trạng thái bị trả lại/);
  });

  it('opening a decision link (GET) leaves the execution waiting; a replayed POST changes nothing', async () => {
    const { reportId } = await client.compile('2021-Q1', undefined, undefined, true);
    await client.waitForReport(reportId, ['awaiting_approval']);
    // The inbox lists newest first: the newest approval request belongs to this compile.
    const mail = (await client.inbox()).find((m) => m.subject.startsWith('[Cần phê duyệt]'));
    const link = linksIn(mail!.text, 'decision')[0];
    for (let i = 0; i < 3; i++) expect((await fetch(link)).status).toBe(200);
    // The decision page shows the draft itself, from the model stored beside its .docx.
    const page = await (await fetch(link)).text();
    expect(page).toContain('<article class="doc doc-is-draft" lang="vi">');
    expect(page).toContain('<span class="doc-draft-mark">DỰ THẢO</span>');
    const model = await client.request<{ mode: string; draft?: { version: number }; body: unknown[] }>(
      `/api/reports/${encodeURIComponent(reportId)}/drafts/1`,
    );
    expect(model).toMatchObject({ mode: 'draft', draft: { version: 1 } });
    expect(model.body.length).toBeGreaterThan(10);
    await expect(client.request(`/api/reports/${encodeURIComponent(reportId)}/drafts/9`)).rejects.toThrow(/dự thảo lần 9/);
    // A link preview fetching the draft is harmless too.
    expect((await fetch(`${link}/draft`, { redirect: 'manual' })).status).toBe(302);
    const before = await client.report(reportId);
    expect(before.execution?.status).toBe('RUNNING');
    expect(before.report.decisions).toHaveLength(0);

    // A forged id answers a clear page and changes nothing.
    const forged = link.replace(/[^/]+$/, 'x'.repeat(43));
    await expect(client.decide(forged, 'approve')).rejects.toThrow(/không hợp lệ/);
    expect((await client.report(reportId)).report.decisions).toHaveLength(0);

    await client.decide(link, 'approve');
    await expect(client.decide(link, 'approve')).rejects.toThrow(/đã được sử dụng/);
    const after = await client.report(reportId);
    expect(after.report.decisions).toHaveLength(1);
  });

  it("resending a step's email makes the old link stop working", async () => {
    const { reportId } = await client.compile('2021-Q1', undefined, undefined, true);
    await client.waitForReport(reportId, ['awaiting_approval']);
    const oldLink = await newestDecisionLink();
    await client.reportAction(reportId, 'resend');
    const newLink = await newestDecisionLink();
    expect(newLink).not.toBe(oldLink);
    await expect(client.decide(oldLink, 'approve')).rejects.toThrow(/liên kết mới hơn/);
    expect((await client.report(reportId)).report.decisions).toHaveLength(0);
    await client.decide(newLink, 'approve');
    expect((await client.report(reportId)).report.decisions).toHaveLength(1);
  });

  it('refuses a malformed upload with a Vietnamese message naming the field and keeps the earlier valid submission', async () => {
    const good = await readFile(join(SAMPLE_DIR, '2021-Q2', 'VP.json'));
    const accepted = await client.submit(good, 'VP', '2021-Q2');
    expect(accepted.status).toBe('accepted');

    const bad = JSON.parse(good.toString('utf8'));
    const firstIndicator = Object.keys(bad.indicators)[0];
    bad.indicators[firstIndicator] = -5;
    const refused = await client.submit(Buffer.from(JSON.stringify(bad)), 'VP', '2021-Q2');
    expect(refused.status).toBe('refused');
    expect(refused.errors[0].field).toContain(firstIndicator);
    expect(refused.errors[0].message).toMatch(/[ăâđêôơưạảấầẩẫậắằẳẵặẹẻẽếềểễệỉịọỏốồổỗộớờởỡợụủứừửữựỳỵỷỹ]/i);

    const status = await client.periodStatus('2021-Q2');
    const vp = status.submissions.find((s) => s.divisionId === 'VP');
    expect(vp?.version).toBe(accepted.version);
  });
});
