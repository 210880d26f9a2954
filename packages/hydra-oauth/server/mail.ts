import { Email } from 'meteor/email';

import type { MailPort } from '../lib';

/**
 * Mail through Meteor's `Email`, which sends to the app's `MAIL_URL` (or prints to the console
 * in development, as Meteor does when none is set).
 */
export function createMeteorMail(from: string): MailPort {
  return {
    async send(message) {
      await Email.sendAsync({ from, ...message });
    },
  };
}
