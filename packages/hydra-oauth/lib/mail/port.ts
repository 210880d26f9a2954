/**
 * The mail port: how the identity provider sends reset and verification links. The standalone
 * host sends with nodemailer (SMTP from `MAIL_URL`, or files for `npm start`); the Meteor glue
 * with Meteor's `Email`.
 */
export interface MailMessage {
  to: string;
  subject: string;
  text: string;
  html?: string;
}

export interface MailPort {
  send(message: MailMessage): Promise<void>;
}
