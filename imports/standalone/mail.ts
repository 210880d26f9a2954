import { randomBytes } from 'node:crypto';
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import nodemailer from 'nodemailer';
import type { MailMessage, MailPort } from '../../packages/hydra-oauth/lib';
import { log } from '../../packages/hydra-oauth/lib/log';

export interface StandaloneMailOptions {
  from: string;
  /** `smtp://` or `smtps://` URL, as Meteor's `MAIL_URL`; mail is sent there when given. */
  mailUrl?: string;
  /** Without an SMTP server: each message becomes an `.eml` file here (for `npm start`). */
  dropDir?: string;
}

/**
 * Mail for the standalone host, with nodemailer: SMTP from `MAIL_URL`, or, when there is no
 * server to send to, files a person can open, with the links printed on the console. Without
 * either there is no mailer and self-service stays off.
 */
export function createStandaloneMail(options: StandaloneMailOptions): MailPort | undefined {
  if (options.mailUrl) return smtpMail(options.mailUrl, options.from);
  if (options.dropDir) return fileMail(options.dropDir, options.from);
  return undefined;
}

function smtpMail(mailUrl: string, from: string): MailPort {
  const transport = nodemailer.createTransport(mailUrl);
  return {
    async send(message) {
      await transport.sendMail({ from, ...message });
    },
  };
}

function fileMail(dropDir: string, from: string): MailPort {
  const transport = nodemailer.createTransport({ streamTransport: true, buffer: true });
  return {
    async send(message) {
      const info = await transport.sendMail({ from, ...message });
      await mkdir(dropDir, { recursive: true });
      const file = path.join(dropDir, `${Date.now()}-${randomBytes(4).toString('hex')}.eml`);
      await writeFile(file, info.message as Buffer, { mode: 0o600 });
      announce(message, file);
    },
  };
}

/** Development only: the links a developer would otherwise have to dig out of the file. */
function announce(message: MailMessage, file: string): void {
  const links = message.text.match(/https?:\/\/\S+/g) ?? [];
  console.log(`mail to ${message.to}: "${message.subject}" (${file})`);
  for (const link of links) console.log(`  ${link}`);
  log.mail('written file=%s', file);
}
