import { shared } from '../shared';

/** Meteor's `Email`, keeping each message instead of sending it, for tests to read. */
export interface SentEmail {
  from: string;
  to: string;
  subject: string;
  text?: string;
  html?: string;
}

const outbox = shared('outbox', (): SentEmail[] => []);

export const Email = {
  async sendAsync(options: SentEmail): Promise<void> {
    outbox.push({ ...options });
  },
};

export const emailHarness = {
  sent: (): readonly SentEmail[] => [...outbox],
  reset(): void {
    outbox.length = 0;
  },
};
