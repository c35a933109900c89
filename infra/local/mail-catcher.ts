import { randomUUID } from 'node:crypto';
import { appendFileSync, existsSync, mkdirSync, readFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { type AddressObject, simpleParser } from 'mailparser';
import { SMTPServer } from 'smtp-server';
import { LOOPBACK, listen } from './ports';

/** One email caught by the local SMTP server. */
export interface Message {
  id: string;
  receivedAt: string;
  from: string;
  to: string[];
  subject: string;
  text: string;
  html: string;
}

export interface Inbox {
  /** Oldest first. */
  list(): Message[];
  get(id: string): Message | undefined;
  /** Resolves with the first message (already caught or arriving) matching `pred`; rejects after timeoutMs. */
  waitFor(pred: (m: Message) => boolean, timeoutMs?: number): Promise<Message>;
}

export interface MailCatcher {
  inbox: Inbox;
  port: number;
  url: string;
  stop(): Promise<void>;
}

function addresses(a: AddressObject | AddressObject[] | undefined): string[] {
  const list = Array.isArray(a) ? a : a ? [a] : [];
  return list.flatMap((o) => o.value.map((v) => v.address ?? '')).filter(Boolean);
}

/**
 * In-process SMTP catcher on loopback (no TLS, auth optional). Every message is parsed and kept;
 * with `file` it is also appended as one JSON line and reloaded on the next start.
 */
export async function startMailCatcher(opts: { file?: string; port?: number; log?: (line: string) => void } = {}): Promise<MailCatcher> {
  const messages: Message[] = [];
  const waiters = new Set<{ pred: (m: Message) => boolean; resolve: (m: Message) => void }>();
  if (opts.file && existsSync(opts.file)) {
    for (const line of readFileSync(opts.file, 'utf8').split('\n')) {
      if (!line.trim()) continue;
      try {
        messages.push(JSON.parse(line) as Message);
      } catch {
        opts.log?.(`Hộp thư: bỏ qua một dòng hỏng trong ${opts.file}`);
      }
    }
  }

  const accept = (m: Message) => {
    messages.push(m);
    if (opts.file) {
      mkdirSync(dirname(opts.file), { recursive: true });
      appendFileSync(opts.file, `${JSON.stringify(m)}\n`);
    }
    opts.log?.(`Hộp thư: nhận thư "${m.subject}" gửi ${m.to.join(', ')}`);
    for (const w of [...waiters])
      if (w.pred(m)) {
        waiters.delete(w);
        w.resolve(m);
      }
  };

  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    banner: 'baocao local mail catcher',
    closeTimeout: 1000,
    onData(stream, session, callback) {
      simpleParser(stream)
        .then((parsed) => {
          const envelopeTo = session.envelope.rcptTo.map((r) => r.address);
          accept({
            id: randomUUID(),
            receivedAt: new Date().toISOString(),
            from: addresses(parsed.from)[0] ?? (session.envelope.mailFrom ? session.envelope.mailFrom.address : ''),
            // The envelope includes Bcc recipients, which headers never show.
            to: [...new Set([...addresses(parsed.to), ...addresses(parsed.cc), ...envelopeTo])],
            subject: (parsed.subject ?? '').normalize('NFC'),
            text: (parsed.text ?? '').normalize('NFC'),
            html: typeof parsed.html === 'string' ? parsed.html.normalize('NFC') : '',
          });
          callback();
        })
        .catch((err: Error) => callback(err));
    },
  });
  const port = await listen(server.server, opts.port ?? 0, LOOPBACK);

  const inbox: Inbox = {
    list: () => [...messages],
    get: (id) => messages.find((m) => m.id === id),
    waitFor(pred, timeoutMs = 10_000) {
      const found = messages.find(pred);
      if (found) return Promise.resolve(found);
      return new Promise<Message>((resolve, reject) => {
        const w = {
          pred,
          resolve: (m: Message) => {
            clearTimeout(timer);
            resolve(m);
          },
        };
        const timer = setTimeout(() => {
          waiters.delete(w);
          reject(new Error(`Không có thư phù hợp trong ${timeoutMs} ms`));
        }, timeoutMs);
        waiters.add(w);
      });
    },
  };

  let stopped = false;
  return {
    inbox,
    port,
    url: `smtp://${LOOPBACK}:${port}`,
    async stop() {
      if (stopped) return;
      stopped = true;
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
