/** Issue 14: the CLI answers a missing file or an unreachable system with one Vietnamese line. */

import { createServer } from 'node:net';
import { describe, expect, it } from 'vitest';
import { ApiError } from '../../infra/cli/client';
import { describeCliError } from '../../infra/cli/errors';
import { main } from '../../infra/cli/main';

const ENGLISH = /no such file|ECONNREFUSED connect|fetch failed|Cannot|Error:/;

async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as { port: number };
  await new Promise((r) => server.close(r));
  return port;
}

const rejection = async (p: Promise<unknown>) => {
  try {
    await p;
  } catch (err) {
    return err;
  }
  throw new Error('expected a rejection');
};

describe('CLI error lines', () => {
  it('names a missing submission file in Vietnamese (ENOENT)', async () => {
    const err = await rejection(
      main(['submit', '/khong-co/so-lieu.json', '--division', 'VP', '--period', '2021-Q1', '--api', 'http://127.0.0.1:9'], () => {}),
    );
    const line = describeCliError(err);
    expect(line).toBe('Lỗi: Không tìm thấy tệp hoặc thư mục "/khong-co/so-lieu.json"; hãy kiểm tra lại đường dẫn. (ENOENT)');
    expect(line).not.toMatch(ENGLISH);
  });

  it('says the system cannot be reached when nothing listens (fetch failed → ECONNREFUSED)', async () => {
    const port = await closedPort();
    const err = await rejection(main(['status', '2021-Q1', '--api', `http://127.0.0.1:${port}`], () => {}));
    const line = describeCliError(err);
    expect(line).toContain('Không kết nối được hệ thống');
    expect(line).not.toContain('\n');
    expect(line).not.toMatch(ENGLISH);
  });

  it('covers DNS, reset, timeout, API answers and unknown faults in one line', () => {
    const wrapped = (code: string) => Object.assign(new TypeError('fetch failed'), { cause: Object.assign(new Error('x'), { code }) });
    expect(describeCliError(wrapped('ENOTFOUND'))).toContain('Không tìm thấy máy chủ');
    expect(describeCliError(wrapped('ECONNRESET'))).toContain('bị ngắt giữa chừng');
    expect(describeCliError(new TypeError('fetch failed'))).toContain('Không kết nối được hệ thống');
    expect(describeCliError(Object.assign(new Error('t'), { name: 'TimeoutError' }))).toContain('không trả lời kịp thời');
    expect(describeCliError(new ApiError('Kỳ không hợp lệ.', 400))).toBe('Lỗi: Kỳ không hợp lệ.');
    expect(describeCliError(new Error('boom\nstack'))).toBe(
      'Lỗi ngoài dự kiến; hãy thử lại hoặc báo cho người quản trị (Error: boom stack).',
    );
  });
});
