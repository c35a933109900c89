import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import nodemailer from 'nodemailer';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type MailCatcher, startMailCatcher } from '../../infra/local/mail-catcher';

describe('local mail catcher', () => {
  let dir: string;
  let catcher: MailCatcher | undefined;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'baocao-mail-'));
  });
  afterEach(async () => {
    await catcher?.stop();
    catcher = undefined;
    rmSync(dir, { recursive: true, force: true });
  });

  const send = async (url: string, subject: string) => {
    const transport = nodemailer.createTransport(url);
    await transport.sendMail({
      from: 'baocao@sct-dongnai.example',
      to: 'binh.cvp@sct-dongnai.example',
      bcc: 'luu@sct-dongnai.example',
      subject,
      text: 'Kính gửi anh Bình,\nMời duyệt dự thảo: http://127.0.0.1:3000/d/abc',
      html: '<p>Kính gửi anh Bình,</p><p><a href="http://127.0.0.1:3000/d/abc">Duyệt</a></p>',
    });
    transport.close();
  };

  it('parses a nodemailer SMTP message into the inbox', async () => {
    catcher = await startMailCatcher({ file: join(dir, 'inbox.jsonl') });
    const arrived = catcher.inbox.waitFor((m) => m.subject.includes('Trình duyệt'), 5000);

    await send(catcher.url, 'Trình duyệt báo cáo CCHC năm 2021');
    const m = await arrived;

    expect(m.subject).toBe('Trình duyệt báo cáo CCHC năm 2021');
    expect(m.from).toBe('baocao@sct-dongnai.example');
    expect(m.to).toEqual(['binh.cvp@sct-dongnai.example', 'luu@sct-dongnai.example']);
    expect(m.text).toContain('Mời duyệt dự thảo: http://127.0.0.1:3000/d/abc');
    expect(m.html).toContain('<a href="http://127.0.0.1:3000/d/abc">Duyệt</a>');
    expect(catcher.inbox.get(m.id)).toEqual(m);
  });

  it('persists messages and reloads them on restart', async () => {
    const file = join(dir, 'inbox.jsonl');
    catcher = await startMailCatcher({ file });
    const arrived = catcher.inbox.waitFor(() => true, 5000);
    await send(catcher.url, 'Báo cáo đã ban hành');
    const first = await arrived;
    await catcher.stop();
    expect(readFileSync(file, 'utf8').trim().split('\n')).toHaveLength(1);

    catcher = await startMailCatcher({ file });
    expect(catcher.inbox.list()).toEqual([first]);
  });

  it('rejects waitFor when nothing matching arrives', async () => {
    catcher = await startMailCatcher();
    await expect(catcher.inbox.waitFor((m) => m.subject === 'không có', 50)).rejects.toThrow(/Không có thư/);
  });
});
