/**
 * The mails of self-service: a reset link and a verification link. They are sent after the
 * answer is decided and never awaited by it, so a known address costs the browser no more
 * time than an unknown one; a failure is logged, never shown.
 */
import type { AccountUser } from '../accounts/port';
import { log } from '../log';
import type { FlowDeps, SelfServiceDeps } from './context';

export function linkTo(selfService: SelfServiceDeps, route: string, token: string): string {
  const url = new URL(route, selfService.publicUrl);
  url.searchParams.set('token', token);
  return url.toString();
}

/** The user's own spelling of the address they typed, as Meteor's `forgotPassword` picks it. */
export function storedAddress(user: AccountUser, typed: string): string | undefined {
  const wanted = typed.toLowerCase();
  return user.emails.find((email) => email.address.toLowerCase() === wanted)?.address;
}

export async function mailResetLink(
  deps: FlowDeps,
  selfService: SelfServiceDeps,
  input: { user: AccountUser; address: string; returnTo?: string },
): Promise<void> {
  const { settings, ui } = deps;
  const token = await selfService.accounts.issueResetToken(
    input.user.id,
    input.address,
    input.returnTo,
  );
  const link = linkTo(selfService, settings.routes.resetPassword, token);
  const minutes = Math.round(settings.accounts.resetTokenSeconds / 60);
  await selfService.mail.send({
    to: input.address,
    subject: ui.messages.mail.resetSubject(settings.ui.productName),
    text: ui.messages.mail.resetText(link, minutes),
  });
  log.mail('sent kind=reset user=%s', input.user.id);
}

export async function mailVerificationLink(
  deps: FlowDeps,
  selfService: SelfServiceDeps,
  user: AccountUser,
): Promise<void> {
  const address = user.emails.find((email) => !email.verified)?.address;
  if (address === undefined) return;
  const token = await selfService.accounts.issueVerificationToken(user.id, address);
  const link = linkTo(selfService, deps.settings.routes.verifyEmail, token);
  await selfService.mail.send({
    to: address,
    subject: deps.ui.messages.mail.verifySubject(deps.settings.ui.productName),
    text: deps.ui.messages.mail.verifyText(link),
  });
  log.mail('sent kind=verify user=%s', user.id);
}

/** Runs a mail job beside the answer; its outcome only reaches the log. */
export function inBackground(kind: string, job: Promise<void>): void {
  job.catch((error: unknown) => {
    log.error('mail kind=%s failed: %s', kind, error instanceof Error ? error.message : error);
  });
}
