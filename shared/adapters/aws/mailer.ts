import { SESv2Client, SendEmailCommand } from '@aws-sdk/client-sesv2';
import nodemailer from 'nodemailer';
import type { Mailer, MailMessage } from '../../ports';
import { traced } from '../tracing';

/**
 * nodemailer everywhere: SES on AWS, SMTP to the embedded catcher locally.
 * One code path builds the MIME message (HTML + plain text) in both cases.
 */
export function makeMailer(opts: {
  transport: 'ses' | 'smtp';
  from: string;
  smtpUrl?: string;
  /** SES configuration set: its event destination carries bounces and complaints to the compiler's view. */
  configurationSet?: string;
}): Mailer {
  // nodemailer merges `ses` into the SendEmail input; SMTP ignores it.
  const ses = opts.transport === 'ses' && opts.configurationSet ? { ses: { ConfigurationSetName: opts.configurationSet } } : {};
  const transporter =
    opts.transport === 'ses'
      ? nodemailer.createTransport({ SES: { sesClient: traced(new SESv2Client({})), SendEmailCommand } })
      : nodemailer.createTransport(opts.smtpUrl ?? 'smtp://127.0.0.1:2525', { ignoreTLS: true } as object);
  return {
    async send(msg: MailMessage) {
      const info = await transporter.sendMail({
        from: opts.from,
        to: msg.to,
        subject: msg.subject,
        text: msg.text,
        html: msg.html,
        ...ses,
      });
      return { messageId: String(info.messageId ?? '') };
    },
  };
}
