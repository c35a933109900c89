import { describe, expect, it } from 'vitest';
import { registeredMailer, registerMailer } from '../../shared/adapters/mail-registry';
import type { MailMessage } from '../../shared/ports';

// This file imports no handler, so nothing registered the mail adapter (vitest isolates files).
describe('mail registry', () => {
  const msg: MailMessage = { to: ['x@example.gov.vn'], subject: 's', text: 't', html: 'h' };

  it('tells a handler without the mail adapter what is missing instead of sending', async () => {
    const mailer = registeredMailer({ transport: 'smtp', from: 'baocao@example.gov.vn' });
    await expect(mailer.send(msg)).rejects.toThrow(/wiring-mail/);
  });

  it('builds the registered adapter once, on the first send, with the wiring options', async () => {
    const built: unknown[] = [];
    registerMailer((opts) => {
      built.push(opts);
      return { send: async () => ({ messageId: 'm' }) };
    });
    const mailer = registeredMailer({ transport: 'ses', from: 'baocao@example.gov.vn', configurationSet: 'cs' });
    expect(built).toEqual([]);
    await mailer.send(msg);
    await mailer.send(msg);
    expect(built).toEqual([{ transport: 'ses', from: 'baocao@example.gov.vn', configurationSet: 'cs' }]);
  });
});
