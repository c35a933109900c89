import type { Mailer, MailMessage } from '../ports';

/** What the mail adapter needs (shared/adapters/aws/mailer.ts). */
export interface MailerOptions {
  transport: 'ses' | 'smtp';
  from: string;
  smtpUrl?: string;
  configurationSet?: string;
}
export type MailerFactory = (opts: MailerOptions) => Mailer;

let factory: MailerFactory | undefined;

/**
 * The mail adapter (the SES client; nodemailer only for local SMTP) is reached only by
 * the handlers that send mail: they import `shared/adapters/wiring-mail.ts`, which registers it
 * here. Every other bundle leaves it out (docs/adr/0046-operable-on-aws.md; a unit test keeps
 * these imports equal to FUNCTION_PROFILES.sendsMail, which also grants SES).
 */
export function registerMailer(make: MailerFactory): void {
  factory = make;
}

/** A Mailer that builds the registered adapter on first send; without one it says what is missing. */
export function registeredMailer(opts: MailerOptions): Mailer {
  let mailer: Mailer | undefined;
  return {
    async send(msg: MailMessage) {
      if (!factory) {
        throw new Error(
          `${process.env.HANDLER_NAME ?? 'This handler'} does not send mail: import shared/adapters/wiring-mail in it and set sendsMail in FUNCTION_PROFILES`,
        );
      }
      mailer ??= factory(opts);
      return mailer.send(msg);
    },
  };
}
