import { SESv2Client, SendEmailCommand } from '@aws-sdk/client-sesv2';
import type { Mailer, MailMessage } from '../../ports';
import { traced } from '../tracing';

/**
 * SES on AWS: SESv2 SendEmail with simple content (subject, text and HTML bodies, UTF-8), which
 * SES turns into the multipart/alternative message itself. SMTP to the embedded catcher locally,
 * through nodemailer, loaded only then: the Lambda bundles carry no MIME builder (about 240 kB;
 * docs/adr/0046-operable-on-aws.md).
 */
export function makeMailer(opts: {
  transport: 'ses' | 'smtp';
  from: string;
  smtpUrl?: string;
  /** SES configuration set: its event destination carries bounces and complaints to the compiler's view. */
  configurationSet?: string;
}): Mailer {
  return opts.transport === 'ses' ? sesMailer(opts) : smtpMailer(opts);
}

function sesMailer(opts: { from: string; configurationSet?: string }): Mailer {
  const ses = traced(new SESv2Client({}));
  const utf8 = (Data: string) => ({ Data, Charset: 'UTF-8' });
  return {
    async send(msg: MailMessage) {
      const res = await ses.send(
        new SendEmailCommand({
          FromEmailAddress: opts.from,
          Destination: { ToAddresses: msg.to },
          Content: { Simple: { Subject: utf8(msg.subject), Body: { Text: utf8(msg.text), Html: utf8(msg.html) } } },
          ...(opts.configurationSet ? { ConfigurationSetName: opts.configurationSet } : {}),
        }),
      );
      return { messageId: res.MessageId ?? '' };
    },
  };
}

type Transporter = { sendMail(m: Record<string, unknown>): Promise<{ messageId?: string }> };

function smtpMailer(opts: { from: string; smtpUrl?: string }): Mailer {
  let transporter: Promise<Transporter> | undefined;
  return {
    async send(msg: MailMessage) {
      transporter ??= (async () => {
        const name = 'nodemailer'; // a variable keeps the Lambda bundler from bundling it
        const nodemailer = ((await import(name)) as { default: { createTransport(url: string, o: object): Transporter } }).default;
        return nodemailer.createTransport(opts.smtpUrl ?? 'smtp://127.0.0.1:2525', { ignoreTLS: true });
      })();
      const info = await (await transporter).sendMail({
        from: opts.from,
        to: msg.to,
        subject: msg.subject,
        text: msg.text,
        html: msg.html,
      });
      return { messageId: String(info.messageId ?? '') };
    },
  };
}
