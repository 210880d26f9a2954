import { serialize, parse, type SerializeOptions } from 'cookie';
import { doubleCsrf } from 'csrf-csrf';
import { CsrfError } from '../flows/errors';
import type { CoreRequest, CoreResponse } from './types';

export const CSRF_FIELD = 'csrf_token';

export interface Csrf {
  /** A token for the form being rendered; sets the paired cookie when the browser has none. */
  issue(req: CoreRequest, res: CoreResponse): string;
  /** Throws {@link CsrfError} unless the posted token matches the cookie. */
  verify(req: CoreRequest, postedToken: string | undefined): void;
}

/**
 * Double-submit CSRF tokens (csrf-csrf): an HMAC under the shared secret from settings, so any
 * instance behind the load balancer can check a token another instance issued.
 */
export function createCsrf(options: { secret: string; secureCookies: boolean }): Csrf {
  const { generateCsrfToken, validateRequest } = doubleCsrf({
    getSecret: () => options.secret,
    // The flows keep no session of their own. The token is bound to the browser by its cookie,
    // and the challenge it protects is re-fetched from Hydra on every post.
    getSessionIdentifier: () => 'hydra-oauth',
    // A __Host- cookie cannot be planted by a sibling subdomain, but needs https.
    cookieName: options.secureCookies ? '__Host-hydra-oauth.csrf' : 'hydra-oauth.csrf',
    cookieOptions: { sameSite: 'lax', path: '/', secure: options.secureCookies, httpOnly: true },
    getCsrfTokenFromRequest: (req) => (req as unknown as { csrfPosted?: string }).csrfPosted,
  });

  return {
    issue(req, res) {
      ensureCookieHelpers(req, res);
      // Reusing a valid cookie keeps a form in another tab working.
      return generateCsrfToken(req as never, res as never, { overwrite: false });
    },
    verify(req, postedToken) {
      ensureCookieHelpers(req, undefined);
      (req as unknown as { csrfPosted?: string }).csrfPosted = postedToken;
      if (postedToken === undefined || !validateRequest(req as never)) throw new CsrfError();
    },
  };
}

/**
 * csrf-csrf reads `req.cookies` and writes with `res.cookie`, which Express provides and
 * Meteor 2's connect server does not; fill them in from the `cookie` package where missing.
 */
function ensureCookieHelpers(req: CoreRequest, res: CoreResponse | undefined) {
  if (req.cookies === undefined) req.cookies = parse(req.headers.cookie ?? '') as Record<string, string>;
  if (res === undefined) return;
  const target = res as CoreResponse & { cookie?: unknown };
  if (typeof target.cookie === 'function') return;
  target.cookie = (name: string, value: string, cookieOptions: SerializeOptions) => {
    const previous = res.getHeader('Set-Cookie');
    const list = Array.isArray(previous) ? previous : previous ? [String(previous)] : [];
    res.setHeader('Set-Cookie', [...list, serialize(name, value, cookieOptions)]);
    return res;
  };
}
