import { beforeEach, describe, expect, it } from 'vitest';
import { organization } from '../../shared/config';
import { aggregate } from '../../shared/domain/aggregate';
import { parsePeriod } from '../../shared/domain/periods';
import type { AggregatedReport } from '../../shared/domain/report';
import { reviseReport } from '../../shared/features/approval/approvals';
import { changesSection, changesSinceLastSeen } from '../../shared/features/approval/changes';
import type { ApprovalDeps } from '../../shared/features/approval/ports';
import { loadDesk, readDeskForm, requestDesk, saveDesk, sendFromDesk, submissionsSinceAggregate } from '../../shared/features/reports/desk';
import { deskPage } from '../../shared/features/reports/desk-page';
import { buildDraft } from '../../shared/features/reports/draft';
import { recordFailure } from '../../shared/features/reports/lifecycle';
import type { MailMessage, ReportRecord } from '../../shared/ports';
import { getTemplate } from '../../shared/templates';
import { internalCodesIn } from '../e2e/ui-check';
import { FakeDeskStore, FakeReportRepo, FakeWorkflow } from './race-fakes';

const NOW = new Date('2021-12-16T03:00:00Z');
const template = getTemplate('cchc');
const ID = `${organization.id}.cchc.2021-20211216030000-ab12`;
const N = 'chiDaoDieuHanh';
const A = 'Ban hành kế hoạch cải cách hành chính năm 2021 của Sở.';
const B = 'Tổ chức 02 lớp tập huấn về kiểm soát thủ tục hành chính.';
const C = 'Kiểm tra công tác cải cách hành chính tại 03 đơn vị trực thuộc.';

let repo: FakeReportRepo;
let desk: FakeDeskStore;
let workflow: FakeWorkflow;
let objects: Map<string, Buffer>;
let sent: MailMessage[];

function withNarrative(items: string[], hoSo?: number): AggregatedReport {
  const agg = aggregate(template, organization, parsePeriod('2021'), []);
  return { ...agg, narratives: { ...agg.narratives, [N]: items }, indicators: { ...agg.indicators, ...(hoSo ? { hoSo } : {}) } };
}

function deps() {
  return {
    repo,
    desk,
    workflow,
    blobs: {
      async get(key: string) {
        const b = objects.get(key);
        if (!b) throw Object.assign(new Error(key), { name: 'NoSuchKey' });
        return b;
      },
      async put(key: string, body: Buffer | string) {
        objects.set(key, Buffer.from(body));
        return { etag: 'e' };
      },
      async putModel() {},
      async getModel() {
        return undefined;
      },
    },
    mailer: { send: async (m: MailMessage) => (sent.push(m), { messageId: `m${sent.length}` }) },
    template,
    organization,
    baseUrl: 'https://baocao.example',
    now: () => NOW,
  };
}

/** A compile's aggregate as Aggregate stores it. */
function aggregated(report: AggregatedReport) {
  objects.set('drafts/x/aggregate.json', Buffer.from(JSON.stringify(report)));
}

/** The form the desk page posts, with the compiler's changes to rows of the narrative. */
function posted(view: Awaited<ReturnType<typeof loadDesk>>, change: Record<number, Record<string, string>> = {}) {
  const form = new URLSearchParams({ version: String(view.edits?.version ?? 0) });
  (view.result.items[N] ?? []).forEach((item, k) => {
    form.set(`n:${N}:${k}:from`, JSON.stringify(item.from));
    form.set(`n:${N}:${k}:text`, item.text);
    form.set(`n:${N}:${k}:order`, String(k + 1));
    if (item.dropped) form.set(`n:${N}:${k}:drop`, '1'); // the page shows a dropped item with its box ticked
    for (const [f, v] of Object.entries(change[k] ?? {})) form.set(`n:${N}:${k}:${f}`, v);
  });
  form.set('fact:canCu', 'Thực hiện Kế hoạch số 10/KH-UBND');
  return readDeskForm(form);
}

beforeEach(async () => {
  repo = new FakeReportRepo();
  desk = new FakeDeskStore();
  workflow = new FakeWorkflow();
  objects = new Map();
  sent = [];
  const rec: ReportRecord = {
    reportId: ID,
    periodId: '2021',
    status: 'compiling',
    requestedBy: organization.compiler.email,
    createdAt: NOW.toISOString(),
    updatedAt: NOW.toISOString(),
    drafts: [],
    decisions: [],
    desk: true,
    aggregateKey: 'drafts/x/aggregate.json',
  };
  await repo.createReport(rec);
  aggregated(withNarrative([A, B, C], 100));
});

describe('the editing desk, end to end over its ports', () => {
  it('waits at the desk, mails the compiler its link in Vietnamese without internal codes', async () => {
    await requestDesk(deps(), { taskToken: 'T1', reportId: ID, periodId: '2021' });
    const r = await repo.getReport(ID);
    expect(r).toMatchObject({ status: 'editing', deskToken: 'T1' });
    expect(sent).toHaveLength(1);
    expect(sent[0].to).toEqual([organization.compiler.email]);
    expect(sent[0].text).toContain(`https://baocao.example/reports/${encodeURIComponent(ID)}/desk`);
    expect(internalCodesIn(`${sent[0].subject}\n${sent[0].text}`)).toEqual([]);
    expect(repo.audit.map((a) => a.action)).toEqual(['desk.opened']);
  });

  it('stops the report at the desk with the compiler’s reason: the wait fails as Abandoned, a send from another tab is refused', async () => {
    await requestDesk(deps(), { taskToken: 'T1', reportId: ID, periodId: '2021' });
    const approvalDeps = deps() as unknown as ApprovalDeps;
    await reviseReport(approvalDeps, { reportId: ID, action: 'abandon', actor: 'khoa.vp@x', comment: 'Số liệu quý IV chưa đủ' });
    expect(workflow.handoffs).toEqual([
      {
        token: 'T1',
        kind: 'fail',
        payload: { error: 'Abandoned', cause: 'Văn phòng dừng báo cáo khi biên tập: “Số liệu quý IV chưa đủ”' },
      },
    ]);
    await expect(sendFromDesk(deps(), { reportId: ID, actor: 'khoa.vp@x' })).rejects.toThrow(/không ở bước biên tập/);
    await expect(reviseReport(approvalDeps, { reportId: ID, action: 'abandon', actor: 'x' })).rejects.toThrow(
      /không ở trạng thái bị trả lại/,
    );
    // The state machine's catch hands the failure to RecordFailure: the report ends with the reason.
    const unlocked: unknown[] = [];
    const lifecycle = { ...deps(), repo: Object.assign(repo, { unlockActiveReport: async (...a: unknown[]) => void unlocked.push(a) }) };
    await recordFailure(lifecycle, {
      reportId: ID,
      periodId: '2021',
      error: { Error: 'Abandoned', Cause: 'Văn phòng dừng báo cáo khi biên tập: “Số liệu quý IV chưa đủ”' },
    } as Parameters<typeof recordFailure>[1]);
    expect(await repo.getReport(ID)).toMatchObject({
      status: 'abandoned',
      failure: { error: 'Abandoned', cause: 'Văn phòng dừng báo cáo khi biên tập: “Số liệu quý IV chưa đủ”' },
    });
    expect(unlocked).toHaveLength(1);
    expect(repo.audit.map((a) => a.action)).toEqual(['desk.opened', 'report.abandon', 'report.abandoned']);
  });

  it('saves each change as a new audited version, refuses a save over a newer version, and the draft prints the edits', async () => {
    await requestDesk(deps(), { taskToken: 'T1', reportId: ID, periodId: '2021' });
    const first = await saveDesk(deps(), {
      reportId: ID,
      actor: 'khoa.vp@x',
      ...posted(await loadDesk(deps(), ID), { 0: { order: '3' }, 1: { text: 'Tổ chức hai lớp tập huấn.' }, 2: { drop: '1' } }),
    });
    expect(first).toMatchObject({ version: 1, savedBy: 'khoa.vp@x' });
    expect(first?.summary).toContain('sửa 1 ý, bỏ 1, đổi thứ tự');
    expect((await repo.getReport(ID))?.reportFacts).toEqual({ canCu: 'Thực hiện Kế hoạch số 10/KH-UBND' });
    // A second tab still on version 0 loses: nothing is overwritten.
    const stale = posted(await loadDesk(deps(), ID));
    await expect(saveDesk(deps(), { reportId: ID, actor: 'x', ...stale, version: 0 })).rejects.toThrow(/vừa được lưu ở một nơi khác/);
    expect(await desk.listDeskEdits(ID)).toHaveLength(1);
    // Saving the same content again adds no version.
    expect((await saveDesk(deps(), { reportId: ID, actor: 'x', ...posted(await loadDesk(deps(), ID)) }))?.version).toBe(1);

    await sendFromDesk(deps(), { reportId: ID, actor: 'khoa.vp@x' });
    expect(workflow.handoffs).toEqual([{ token: 'T1', kind: 'succeed', payload: { action: 'send', by: 'khoa.vp@x', edits: 1 } }]);
    await expect(sendFromDesk(deps(), { reportId: ID, actor: 'khoa.vp@x' })).rejects.toThrow(/không ở bước biên tập/);

    const draft = await buildDraft(deps(), { reportId: ID, periodId: '2021', aggregate: { key: 'drafts/x/aggregate.json' } });
    expect((await desk.getDraftReport(ID, draft.version))?.narratives[N]).toEqual(['Tổ chức hai lớp tập huấn.', A]);
    expect(repo.audit.map((a) => a.action)).toEqual(['desk.opened', 'desk.saved', 'desk.sent', 'draft.built']);
  });

  it('after a recompile keeps the edits that still apply, flags the ones that do not, and the approver sees what changed', async () => {
    await requestDesk(deps(), { taskToken: 'T1', reportId: ID, periodId: '2021' });
    await saveDesk(deps(), {
      reportId: ID,
      actor: 'khoa.vp@x',
      ...posted(await loadDesk(deps(), ID), { 0: { text: 'A đã biên tập.' }, 2: { text: 'C đã biên tập.' } }),
    });
    await sendFromDesk(deps(), { reportId: ID, actor: 'khoa.vp@x' });
    const v1 = await buildDraft(deps(), { reportId: ID, periodId: '2021', aggregate: { key: 'drafts/x/aggregate.json' } });
    await repo.updateReport(ID, {
      decisions: [
        {
          stepIndex: 0,
          role: 'Chánh Văn phòng',
          decision: 'return',
          decidedBy: 'Lê Văn A <a@x.example>',
          decidedAt: NOW.toISOString(),
          draftSha256: v1.sha256,
        },
      ],
    });
    // The division withdrew C and added a new item; figures moved.
    const D = 'Tuyên truyền cải cách hành chính trên Cổng thông tin điện tử.';
    aggregated(withNarrative([A, B, D], 120));
    await requestDesk(deps(), { taskToken: 'T2', reportId: ID, periodId: '2021' });
    expect(sent.at(-1)?.text).toContain('1 chỉnh sửa trước đây không còn áp dụng');
    const view = await loadDesk(deps(), ID);
    expect(view.result.narratives[N]).toEqual(['A đã biên tập.', B, D]);
    expect(view.result.flags).toEqual([
      { narrativeId: N, kind: 'vanished', text: 'C đã biên tập.' },
      { narrativeId: N, kind: 'added', text: D },
    ]);
    const html = deskPage({ view, subject: 'năm 2021', template, organization }).body ?? '';
    expect(html).toContain('Cần xem lại 2 ý');
    expect(internalCodesIn(html.replace(/<[^>]+>/g, ' '))).toEqual([]);

    await sendFromDesk(deps(), { reportId: ID, actor: 'khoa.vp@x' });
    const v2 = await buildDraft(deps(), { reportId: ID, periodId: '2021', aggregate: { key: 'drafts/x/aggregate.json' } });
    const report = (await repo.getReport(ID))!;
    const found = await changesSinceLastSeen(deps(), report, {
      approverEmail: 'a@x.example',
      draftSha256: v2.sha256,
      draftVersion: v2.version,
    });
    expect(found?.seenVersion).toBe(1);
    expect(found?.changes.narratives).toEqual([{ narrativeId: N, added: [D], removed: ['C đã biên tập.'], edited: [] }]);
    expect(found?.changes.figures).toContainEqual({ kind: 'indicator', id: 'hoSo', before: 100, after: 120 });
    const section = changesSection(template, found).html;
    expect(section).toContain('Thay đổi so với dự thảo lần 1');
    expect(section).toContain('100');
    // Another approver who never decided on draft 1 sees no such section.
    expect(
      await changesSinceLastSeen(deps(), report, { approverEmail: 'b@x.example', draftSha256: v2.sha256, draftVersion: 2 }),
    ).toBeUndefined();
  });
});

describe('submissions received after the figures were computed', () => {
  const at = (m: number) => new Date(Date.UTC(2021, 11, 16, 3, m)).toISOString();
  const current = [
    { divisionId: 'VP', periodId: '2021-Q4', version: 2, submittedAt: at(5) },
    { divisionId: 'KHTC', periodId: '2021-Q4', version: 1, submittedAt: at(1) },
    { divisionId: 'TTRA', periodId: '2021-Q4', version: 1, submittedAt: at(3) },
    { divisionId: 'VP', periodId: '2021-Q3', version: 1, submittedAt: at(0) },
  ];
  it('lists newer versions and divisions the aggregate did not have, oldest first', () => {
    const from = [
      { divisionId: 'VP', periodId: '2021-Q4', version: 1 },
      { divisionId: 'KHTC', periodId: '2021-Q4', version: 1 },
      { divisionId: 'VP', periodId: '2021-Q3', version: 1 },
    ];
    expect(submissionsSinceAggregate({ aggregatedFrom: from }, current).map((s) => `${s.divisionId} v${s.version}`)).toEqual([
      'TTRA v1',
      'VP v2',
    ]);
  });
  it('says nothing for a report aggregated before the sources were kept', () => {
    expect(submissionsSinceAggregate({}, current)).toEqual([]);
  });
});
