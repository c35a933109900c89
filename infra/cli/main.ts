/**
 * baocao — the operator CLI. Talks to a running system over its HTTP API:
 * the local one (`npm start`, default http://127.0.0.1:3000) or, later, a deployed API URL.
 */
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { OPERATOR_TOKEN_FILE } from '../local/operator';
import { BaocaoClient, linksIn } from './client';
import { describeCliError } from './errors';
import { MIGRATE_HELP, MigrateUsageError, migrateCommand } from './migrate';
import { ORG_HELP, OrgUsageError, orgCommand } from './org';
import { OrgSigningUsageError } from './org-signing';
import { VERIFY_HELP, VerifyUsageError, verifyCommand } from './verify';

const HELP = `Cách dùng: baocao <lệnh> [tùy chọn]

Lệnh:
  submit <tệp.json> --division VP --period 2021-Q1   Nộp số liệu của một đơn vị cho một quý
  status <kỳ>                                        Tình hình nộp số liệu và các báo cáo của kỳ (2021-Q1, 2021-H1, 2021-9M, 2021)
  compile <kỳ> [--wait] [--supersede] [--desk]       Bắt đầu tổng hợp, dựng dự thảo và trình duyệt
                                                     (--supersede: thay thế báo cáo đang có của kỳ;
                                                      --desk: chờ Văn phòng biên tập nội dung trên trang web trước khi trình)
  send <mã-báo-cáo>                                  Gửi phê duyệt báo cáo đang chờ biên tập (nội dung đã lưu)
  report <mã-báo-cáo>                                Trạng thái, dự thảo, ý kiến phê duyệt của một báo cáo
  resend <mã-báo-cáo>                                Gửi lại thư xin ý kiến của bước hiện tại (liên kết cũ hết hiệu lực)
  recompile <mã-báo-cáo>                             Tổng hợp lại báo cáo bị trả lại (dự thảo mới, trình lại từ bước 1)
  abandon <mã-báo-cáo> --comment "lý do"             Dừng báo cáo bị trả lại
  resume <mã-báo-cáo>                                Tiếp tục báo cáo từ hồ sơ (sau khi quy trình lỗi đã được khắc phục)
  audit <mã-báo-cáo>                                 Nhật ký đầy đủ của báo cáo
  approvals                                          Danh sách bước phê duyệt đang chờ
  inbox                                              Hộp thư của hệ thống cục bộ, kèm liên kết phê duyệt
  decide <liên-kết|số-thứ-tự> --approve | --return "ý kiến"
                                                     Phê duyệt hoặc trả lại (số thứ tự lấy từ lệnh inbox)
  fetch <mã-báo-cáo> [-o tệp] [--draft] [--format docx|xlsx|json]
                                                     Tải báo cáo đã ban hành (hoặc dự thảo mới nhất), hoặc số liệu tổng hợp
  open <quý>                                         Mở kỳ: gửi liên kết nộp số liệu cho tất cả đơn vị (ví dụ 2021-Q1)
  reopen <quý> --division VP                         Mở lại kỳ đã khóa cho một đơn vị (thu hồi liên kết cũ, gửi liên kết mới)
  completeness <quý>                                 Tình hình nộp: chưa nộp, đúng hạn, muộn, bị từ chối, đã mở lại
  remind <quý>                                       Gửi thư nhắc kèm liên kết mới cho các đơn vị chưa hoàn thành
${ORG_HELP}
${VERIFY_HELP}
${MIGRATE_HELP}

Tùy chọn chung:
  --api <url>   Địa chỉ hệ thống (mặc định: biến BAOCAO_API hoặc http://127.0.0.1:3000)
  --org <mã>    Tổ chức (mặc định: biến BAOCAO_ORG hoặc tổ chức mặc định của hệ thống)
  --type <mã>   Loại báo cáo, ví dụ cchc, kstt (mặc định: cchc nếu tổ chức lập, nếu không thì loại đầu tiên)
`;

const STATUS: Record<string, string> = {
  compiling: 'đang tổng hợp',
  editing: 'đang biên tập, chờ gửi phê duyệt',
  awaiting_approval: 'chờ phê duyệt',
  released: 'đã ban hành',
  returned: 'bị trả lại, chờ tổng hợp lại',
  rejected: 'đã dừng sau khi bị trả lại',
  abandoned: 'đã dừng khi biên tập',
  timed_out: 'quá hạn phê duyệt',
  failed: 'lỗi',
  superseded: 'đã được thay bằng báo cáo mới hơn',
};

const INTAKE_STATUS: Record<string, string> = {
  not_started: 'chưa nộp',
  on_time: 'đúng hạn',
  late: 'nộp muộn',
  refused: 'bị từ chối',
  reopened: 'đã mở lại',
};

/** The operator token `npm start` wrote for this machine's local system (BAOCAO_STATE_DIR, default .baocao/). */
function localOperatorToken(): string | undefined {
  try {
    return readFileSync(join(resolve(process.env.BAOCAO_STATE_DIR ?? '.baocao'), OPERATOR_TOKEN_FILE), 'utf8').trim() || undefined;
  } catch {
    return undefined; // no local system started here: a deployed API, or the refusal will say what is missing
  }
}

export async function main(argv: string[], out: (line: string) => void = console.log): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      api: { type: 'string' },
      org: { type: 'string' },
      type: { type: 'string' },
      'expected-version': { type: 'string' },
      person: { type: 'string' },
      seal: { type: 'string' },
      organization: { type: 'string' },
      division: { type: 'string' },
      period: { type: 'string' },
      wait: { type: 'boolean' },
      supersede: { type: 'boolean' },
      desk: { type: 'boolean' },
      approve: { type: 'boolean' },
      return: { type: 'string' },
      comment: { type: 'string' },
      draft: { type: 'boolean' },
      format: { type: 'string' },
      o: { type: 'string' },
      trust: { type: 'string', multiple: true },
      'dry-run': { type: 'boolean' },
      table: { type: 'string' },
      bucket: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  const [command, arg] = positionals;
  if (!command || values.help) {
    out(HELP);
    return command ? 0 : 1;
  }
  const client = new BaocaoClient(
    values.api ?? process.env.BAOCAO_API ?? 'http://127.0.0.1:3000',
    { org: values.org ?? process.env.BAOCAO_ORG, type: values.type },
    process.env.BAOCAO_OPERATOR_TOKEN ?? localOperatorToken(),
  );
  const need = (value: string | undefined, what: string) => {
    if (!value) throw new UsageError(`Thiếu ${what}.`);
    return value;
  };

  switch (command) {
    case 'verify':
      return verifyCommand(arg, values.trust, out);
    case 'migrate':
      return migrateCommand(
        { org: values.org, type: values.type, dryRun: values['dry-run'], table: values.table, bucket: values.bucket },
        out,
      );
    case 'org':
      return orgCommand(
        client,
        {
          sub: arg,
          arg: positionals[2],
          expectedVersion: values['expected-version'],
          signing: { file: positionals[3], person: values.person, seal: values.seal, organization: values.organization },
        },
        out,
      );
    case 'submit': {
      const res = await client.submit(need(arg, 'đường dẫn tệp'), need(values.division, '--division'), need(values.period, '--period'));
      if (res.status === 'accepted') {
        out(`Đã tiếp nhận: ${res.key} (phiên bản ${res.version}).`);
        for (const w of res.warnings) out(`  Cảnh báo — ${w.label}: ${w.message}`);
        return 0;
      }
      out(`Bị từ chối: ${res.key}`);
      for (const e of res.errors) out(`  Lỗi — ${e.label}: ${e.message}`);
      return 2;
    }
    case 'status': {
      const s = await client.periodStatus(need(arg, 'kỳ báo cáo'));
      out(`Kỳ ${s.period.label}`);
      for (const sub of s.submissions) out(`  ${sub.periodId}  ${sub.divisionId.padEnd(6)} phiên bản ${sub.version}  ${sub.submittedAt}`);
      if (s.submissions.length === 0) out('  Chưa có đơn vị nào nộp số liệu.');
      for (const r of s.reports) out(`  Báo cáo ${r.reportId}: ${STATUS[r.status] ?? r.status}`);
      return 0;
    }
    case 'compile': {
      const started = await client.compile(need(arg, 'kỳ báo cáo'), undefined, undefined, values.supersede, values.desk);
      // The report id names the report type (<org>.<type>.<period>-…): say which one was compiled.
      out(`Đã bắt đầu tổng hợp (loại báo cáo ${started.reportId.split('.')[1] ?? '?'}): ${started.reportId}`);
      if (started.superseded) out(`Báo cáo ${started.superseded} đã bị thay thế.`);
      if (values.wait) {
        const view = await client.waitForReport(started.reportId, ['awaiting_approval', 'editing']);
        out(`Trạng thái: ${STATUS[view.report.status] ?? view.report.status}`);
        if (view.report.failure) out(`  ${view.report.failure.cause}`);
      }
      return 0;
    }
    case 'report': {
      const { report } = await client.report(need(arg, 'mã báo cáo'));
      out(`${report.reportId}: ${STATUS[report.status] ?? report.status}`);
      for (const d of report.drafts) out(`  Dự thảo v${d.version}: ${d.fileName}`);
      for (const d of report.decisions) {
        out(`  Bước ${d.stepIndex + 1} (${d.role}): ${d.decision === 'approve' ? 'đồng ý' : `trả lại — ${d.comment}`} — ${d.decidedBy}`);
      }
      if (report.release) out(`  Ban hành: ${report.release.documentNumber} — ${report.release.fileName}`);
      if (report.failure) out(`  ${report.failure.error === 'Rejected' ? 'Ý kiến trả lại' : 'Nguyên nhân'}: ${report.failure.cause}`);
      return 0;
    }
    case 'send': {
      await client.sendFromDesk(need(arg, 'mã báo cáo'));
      out('Đã gửi phê duyệt với nội dung đã biên tập.');
      return 0;
    }
    case 'resend':
    case 'recompile':
    case 'abandon':
    case 'resume': {
      const id = need(arg, 'mã báo cáo');
      await client.reportAction(id, command, values.comment);
      const done = {
        resend: 'Đã gửi lại thư xin ý kiến.',
        recompile: 'Đã bắt đầu tổng hợp lại.',
        abandon: 'Đã dừng báo cáo.',
        resume: 'Đã tiếp tục báo cáo; các ý kiến đồng ý đã có được giữ nguyên.',
      };
      out(done[command]);
      return 0;
    }
    case 'audit': {
      for (const a of await client.audit(need(arg, 'mã báo cáo'))) out(`${a.at}  ${a.actor.padEnd(36)} ${a.action}`);
      return 0;
    }
    case 'approvals': {
      const pending = await client.approvals();
      if (pending.length === 0) out('Không có bước phê duyệt nào đang chờ.');
      for (const p of pending) out(`  ${p.reportId}  bước ${p.stepIndex + 1} (${p.role})  ${p.approverEmail}  hạn ${p.expiresAt}`);
      return 0;
    }
    case 'inbox': {
      const messages = await client.inbox();
      if (messages.length === 0) out('Hộp thư trống.');
      messages.forEach((m, i) => {
        out(`[${i + 1}] ${m.receivedAt}  ${m.to.join(', ')}`);
        out(`    ${m.subject}`);
        for (const link of [...linksIn(m.text, 'decision'), ...linksIn(m.text, 'download'), ...linksIn(m.text, 'nop')]) out(`    ${link}`);
      });
      return 0;
    }
    case 'decide': {
      const target = need(arg, 'liên kết phê duyệt hoặc số thứ tự thư');
      let link = target;
      if (/^\d+$/.test(target)) {
        const msg = (await client.inbox())[Number(target) - 1];
        link = msg ? (linksIn(msg.text, 'decision')[0] ?? '') : '';
        if (!link) throw new UsageError(`Thư số ${target} không có liên kết phê duyệt.`);
      }
      if (values.approve === Boolean(values.return)) throw new UsageError('Chọn đúng một trong --approve hoặc --return "ý kiến".');
      out(await client.decide(link, values.approve ? 'approve' : 'return', values.return));
      return 0;
    }
    case 'fetch': {
      const format = values.format ?? 'docx';
      if (!['docx', 'xlsx', 'json'].includes(format)) throw new UsageError('--format phải là docx, xlsx hoặc json.');
      const file = await client.fetchReport(need(arg, 'mã báo cáo'), values.o, values.draft, format as 'docx');
      out(file);
      return 0;
    }
    case 'open': {
      const res = await client.openPeriod(need(arg, 'quý'));
      out(`Đã gửi liên kết nộp số liệu kỳ ${res.periodId} cho ${res.sent.length} đơn vị.`);
      for (const s of res.sent) out(`  ${s.divisionId.padEnd(6)} ${s.sentTo.join(', ')}  hiệu lực đến ${s.expiresAt}`);
      return 0;
    }
    case 'reopen': {
      const res = await client.reopen(need(arg, 'quý'), need(values.division, '--division'));
      out(`Đã mở lại kỳ ${res.periodId} cho ${res.divisionId} đến ${res.reopenedUntil}; liên kết mới gửi tới ${res.sentTo.join(', ')}.`);
      return 0;
    }
    case 'completeness': {
      const res = await client.completeness(need(arg, 'quý'));
      out(`Kỳ ${res.periodId} — hạn nộp ${res.deadlineEnd}`);
      for (const d of res.divisions) {
        const version = d.version ? ` v${d.version} ${d.submittedAt}` : '';
        const reminders = d.remindersSent ? `  nhắc ${d.remindersSent} lần` : '';
        out(`  ${d.divisionId.padEnd(6)} ${(INTAKE_STATUS[d.status] ?? d.status).padEnd(12)}${version}${reminders}`);
      }
      return 0;
    }
    case 'remind': {
      const res = await client.remind(need(arg, 'quý'));
      out(
        res.reminded.length
          ? `Đã gửi thư nhắc cho ${res.reminded.length} đơn vị: ${res.reminded.map((r) => r.divisionId).join(', ')}.`
          : 'Không có đơn vị nào cần nhắc.',
      );
      for (const s of res.skipped) out(`  Bỏ qua ${s.divisionId}: ${s.reason}`);
      return 0;
    }
    default:
      throw new UsageError(`Lệnh không hợp lệ: ${command}.`);
  }
}

class UsageError extends Error {}

if (import.meta.url === `file://${process.argv[1]}`) {
  main(process.argv.slice(2))
    .then((code) => process.exit(code))
    .catch((err: unknown) => {
      if (err instanceof VerifyUsageError || err instanceof MigrateUsageError || err instanceof OrgSigningUsageError)
        console.error(err.message);
      else if (err instanceof UsageError || err instanceof OrgUsageError) console.error(`${err.message}\n\n${HELP}`);
      else console.error(describeCliError(err));
      process.exit(1);
    });
}
