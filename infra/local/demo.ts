/**
 * npm run demo — the whole path headless on the sample data, on a fresh embedded stack
 * (temporary state, free ports). Prints progress; the last line is the released .docx path.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { BaocaoClient } from '../cli/client';
import { runDemoFlow } from './demo-flow';
import { startLocalRuntime } from './runtime';
import { withLocalSigning } from './signing';

async function demo(): Promise<number> {
  // The demo prints its own progress; handlers' structured logs only when something goes wrong.
  process.env.LOG_LEVEL ??= 'warn';
  const stateDir = await mkdtemp(join(tmpdir(), 'baocao-demo-'));
  // The sample organization signs with the local test CA: two signatures on the released PDF.
  const runtime = await startLocalRuntime({ stateDir, port: 0, organizations: [withLocalSigning()], timeScale: 20 });
  try {
    console.log(`Hệ thống cục bộ đã chạy tại ${runtime.urls.api}`);
    const client = new BaocaoClient(runtime.urls.api);
    const result = await runDemoFlow(client, {
      periodId: '2021',
      quarters: ['2021-Q1', '2021-Q2', '2021-Q3', '2021-Q4'],
      outDir: resolve('out/demo'),
      signing: true,
      log: (line) => console.log(line),
    });
    if (result.status !== 'released' || !result.releasedFile) {
      console.error(
        `Demo thất bại: báo cáo ${result.reportId} ở trạng thái ${result.status}${result.failureCause ? ` (${result.failureCause})` : ''}.`,
      );
      return 1;
    }
    const { report } = await client.report(result.reportId);
    console.log('Lịch sử phê duyệt:');
    for (const d of report.decisions) {
      console.log(
        `  Bước ${d.stepIndex + 1} (${d.role}): ${d.decision === 'approve' ? 'đồng ý' : `trả lại — ${d.comment}`} — ${d.decidedBy}, ${d.decidedAt}`,
      );
    }
    const xlsx = await client.fetchReport(
      result.reportId,
      resolve('out/demo', `${report.release!.fileName.replace(/\.docx$/, '')}.xlsx`),
      false,
      'xlsx',
    );
    console.log(`Bảng số liệu tổng hợp (.xlsx, kèm lịch sử phê duyệt): ${xlsx}`);
    if (result.signedPdf) console.log(`Bản gốc điện tử đã ký số (PDF, hai chữ ký): ${resolve(result.signedPdf)}`);
    console.log(resolve(result.releasedFile));
    return 0;
  } finally {
    await runtime.stop();
    await rm(stateDir, { recursive: true, force: true });
  }
}

demo()
  .then((code) => process.exit(code))
  .catch((err: unknown) => {
    console.error(`Demo thất bại: ${(err as Error).stack ?? err}`);
    process.exit(1);
  });
