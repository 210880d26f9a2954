/**
 * The checks on what a shopper types into the self-service forms, shared by sign-up and reset,
 * and the request facts the rate limits are keyed on.
 */
import { METEOR_PASSWORD_MAX_LENGTH } from '../accounts/meteorPassword';
import { type FormFields, singleField } from '../http/form';
import type { CoreRequest } from '../http/types';
import type { Messages } from '../ui/messages';

const MAX_EMAIL_LENGTH = 320;
/** Deliberately loose: one '@', something on each side, a dot in the domain, no spaces. */
const EMAIL_SHAPE = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

export function readEmail(form: FormFields): string | undefined {
  const email = singleField(form, 'email')?.trim();
  if (!email || email.length > MAX_EMAIL_LENGTH || !EMAIL_SHAPE.test(email)) return undefined;
  return email;
}

export type NewPassword = { ok: true; password: string } | { ok: false; problem: string };

/** A new password: long enough, within Meteor's cap, typed the same twice. */
export function readNewPassword(form: FormFields, min: number, m: Messages): NewPassword {
  const password = singleField(form, 'password') ?? '';
  const confirmation = singleField(form, 'confirmation') ?? '';
  if (password.length < min) return { ok: false, problem: m.passwordTooShort(min) };
  if (password.length > METEOR_PASSWORD_MAX_LENGTH) {
    return { ok: false, problem: m.errors.badRequest };
  }
  if (password !== confirmation) return { ok: false, problem: m.passwordMismatch };
  return { ok: true, password };
}

/**
 * The peer address of the connection. TODO(proxy): behind a load balancer every shopper
 * shares its address; a trusted-proxy setting should pick the client from X-Forwarded-For.
 */
export function clientAddress(req: CoreRequest): string {
  return req.socket?.remoteAddress ?? 'unknown';
}

/** Addresses are compared without case, as Meteor finds users by them. */
export function addressKey(email: string): string {
  return email.toLowerCase();
}
