/**
 * The way back after a password reset. The login challenge the shopper started with may have
 * expired while they read their mail, so the reset page sends the browser to the client's
 * authorization URL again, and Hydra issues a fresh challenge. This short-lived cookie, signed
 * with a key derived from the shared CSRF secret, lets the login step accept that challenge for
 * the user who just set a password, once, without asking for it again.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';

import { parse, serialize } from 'cookie';

import type { CoreRequest, CoreResponse } from '../http/types';

export const RETURN_GRANT_COOKIE = 'hydra-oauth.return';

export interface ReturnGrant {
  subject: string;
  /** Milliseconds since the epoch after which the grant is worthless. */
  expiresAt: number;
}

function signingKey(secret: string): Buffer {
  // A key of its own, so a value signed here can never pass as a CSRF token or the reverse.
  return createHmac('sha256', secret).update('hydra-oauth return grant v1').digest();
}

function signature(secret: string, payload: string): string {
  return createHmac('sha256', signingKey(secret)).update(payload).digest('base64url');
}

export function encodeReturnGrant(grant: ReturnGrant, secret: string): string {
  const json = JSON.stringify([grant.subject, grant.expiresAt]);
  const payload = Buffer.from(json).toString('base64url');
  return `${payload}.${signature(secret, payload)}`;
}

/** The grant in a cookie value, or `undefined` when it is malformed, forged or expired. */
export function decodeReturnGrant(
  value: string | undefined,
  secret: string,
  now: number = Date.now(),
): ReturnGrant | undefined {
  if (typeof value !== 'string') return undefined;
  const [payload, mac, extra] = value.split('.');
  if (!payload || !mac || extra !== undefined) return undefined;

  const expected = Buffer.from(signature(secret, payload));
  const given = Buffer.from(mac);
  if (expected.length !== given.length || !timingSafeEqual(expected, given)) return undefined;

  const decoded = parsePayload(payload);
  if (!decoded || decoded.expiresAt <= now) return undefined;
  return decoded;
}

function parsePayload(payload: string): ReturnGrant | undefined {
  try {
    const value: unknown = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'));
    if (!Array.isArray(value) || value.length !== 2) return undefined;
    const [subject, expiresAt] = value as unknown[];
    if (typeof subject !== 'string' || subject === '' || typeof expiresAt !== 'number') {
      return undefined;
    }
    return { subject, expiresAt };
  } catch {
    return undefined;
  }
}

export interface GrantCookieOptions {
  secret: string;
  /** Only the login route reads it, so no other page ever receives it. */
  path: string;
  secure: boolean;
}

export function setReturnGrant(
  res: CoreResponse,
  grant: ReturnGrant,
  options: GrantCookieOptions,
): void {
  appendCookie(res, serialize(RETURN_GRANT_COOKIE, encodeReturnGrant(grant, options.secret), {
    httpOnly: true,
    // Lax: sent on the top-level redirect from Hydra to the login route, never on a sub-request.
    sameSite: 'lax',
    secure: options.secure,
    path: options.path,
    maxAge: Math.max(1, Math.ceil((grant.expiresAt - Date.now()) / 1000)),
  }));
}

/** Reads the grant and clears the cookie in the same answer: a grant is good for one use. */
export function takeReturnGrant(
  req: CoreRequest,
  res: CoreResponse,
  options: GrantCookieOptions,
): ReturnGrant | undefined {
  const raw = parse(req.headers.cookie ?? '')[RETURN_GRANT_COOKIE];
  if (raw === undefined) return undefined;
  appendCookie(res, serialize(RETURN_GRANT_COOKIE, '', {
    httpOnly: true,
    sameSite: 'lax',
    secure: options.secure,
    path: options.path,
    maxAge: 0,
  }));
  return decodeReturnGrant(raw, options.secret);
}

function appendCookie(res: CoreResponse, cookie: string): void {
  const previous = res.getHeader('Set-Cookie');
  const list = Array.isArray(previous) ? previous : previous ? [String(previous)] : [];
  res.setHeader('Set-Cookie', [...list, cookie]);
}
