/**
 * npm start — the whole system on embedded local services, state kept under .baocao/.
 * Web UI on PORT (default 3000), loopback only.
 */
import { join, resolve } from 'node:path';
import { OPERATOR_TOKEN_FILE } from './operator';
import { startLocalRuntime } from './runtime';
import { systemIsEmpty } from './sample-year';
import { withLocalSigning } from './signing';

const port = Number(process.env.PORT ?? 3000);
const stateDir = resolve(process.env.BAOCAO_STATE_DIR ?? '.baocao');

// The sample organization signs with the local test CA (a table that already has organizations keeps
// them); BAOCAO_SAMPLE_SIGNING=0 seeds it unsigned (released as .docx only, no signing steps).
const signs = process.env.BAOCAO_SAMPLE_SIGNING !== '0';
const runtime = await startLocalRuntime({
  stateDir,
  port,
  organizations: signs ? [withLocalSigning()] : [],
  log: (line) => console.log(line),
});
console.log(`Hệ thống báo cáo định kỳ đang chạy (dữ liệu lưu tại ${stateDir}):`);
console.log(`  Trang web:       ${runtime.urls.api}/`);
console.log(`  Đăng nhập vận hành (mã mới mỗi lần khởi động, giữ kín): ${runtime.signinUrl}`);
console.log(`  Mã vận hành cho lệnh baocao: ${join(stateDir, OPERATOR_TOKEN_FILE)}`);
console.log(`  Hộp thư cục bộ:  ${runtime.urls.api}/_local/inbox`);
console.log(`  Điện thoại ký số (thử nghiệm): ${runtime.urls.api}/_local/sign`);
console.log(`  DynamoDB:        ${runtime.urls.dynamodb}`);
console.log(`  S3:              ${runtime.urls.s3}`);
console.log(`  Step Functions:  ${runtime.urls.sfn}`);
console.log(`  SMTP:            ${runtime.urls.smtp}`);
console.log(`  SQS:             ${runtime.urls.sqs}`);
if (runtime.resumed.length > 0) {
  console.log(`Đã tiếp tục ${runtime.resumed.length} báo cáo đang dở (các ý kiến đã có được giữ nguyên): ${runtime.resumed.join(', ')}`);
}
// First run: `npm start -- --sample` loads the sample year when the system is still empty.
if (process.argv.includes('--sample')) {
  if (await systemIsEmpty()) {
    const loaded = await runtime.sample.start();
    if (loaded.state === 'done' && loaded.reportId)
      console.log(`Xem báo cáo mẫu: ${runtime.urls.api}/reports/${encodeURIComponent(loaded.reportId)}`);
  } else console.log('Hệ thống đã có dữ liệu; không nạp dữ liệu mẫu.');
} else if (await systemIsEmpty()) {
  console.log(`Hệ thống chưa có dữ liệu: mở ${runtime.urls.api}/ để nạp dữ liệu mẫu năm 2021 (hoặc chạy npm start -- --sample).`);
}
console.log('Nhấn Ctrl+C để dừng.');

let stopping = false;
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, async () => {
    if (stopping) return;
    stopping = true;
    console.log('Đang dừng…');
    await runtime.stop();
    process.exit(0);
  });
}
