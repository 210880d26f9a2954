import type { AccountsPort, AccountUser } from '../accounts/port';
import { log } from '../log';
import {
  BearerMissingError,
  InsufficientScopeError,
  InvalidTokenError,
} from './errors';
import type { TokenInfo, TokenIntrospector } from './introspection';

/** What a route learns about the caller. `user` is absent for an anonymous request. */
export interface BearerAuth {
  user?: AccountUser;
  token?: TokenInfo;
}

export interface BearerRequirements {
  /** Every one of these scopes must have been granted. */
  scopes?: string[];
  /** The token's audience must include this value. */
  audience?: string;
  /** The token must have been issued to one of these clients. */
  clientIds?: string[];
}

export interface BearerOptions {
  introspector: TokenIntrospector;
  accounts: AccountsPort;
  require?: BearerRequirements;
}

/** RFC 6750 §2.1: `Bearer` then one b64token. */
const BEARER = /^Bearer +([A-Za-z0-9\-._~+/]+=*) *$/i;

/**
 * Decides who is calling from an `Authorization` header. No header is an anonymous request;
 * anything else must be a live access token for an existing user, or it is refused.
 */
export async function authenticateBearer(
  header: string | undefined,
  options: BearerOptions,
): Promise<BearerAuth> {
  if (header === undefined || header === '') return {};
  const token = readBearerToken(header);
  const info = await options.introspector.introspect(token);

  checkIsLiveAccessToken(info);
  checkRequirements(info, options.require ?? {});

  const user = await options.accounts.findById(info.subject as string);
  if (!user) {
    log.http('token for a removed user client=%s', info.clientId ?? '-');
    throw new InvalidTokenError('The user of this token no longer exists');
  }
  return { user, token: info };
}

export function readBearerToken(header: string): string {
  if (!/^Bearer(\s|$)/i.test(header)) {
    throw new BearerMissingError('Only Bearer tokens are accepted');
  }
  const match = BEARER.exec(header);
  if (!match?.[1]) throw new InvalidTokenError('The access token is malformed');
  return match[1];
}

/** Hydra answers `active: false` alike for expired, revoked and unknown tokens. */
function checkIsLiveAccessToken(info: TokenInfo): void {
  if (!info.active) throw new InvalidTokenError('The access token is expired, revoked or unknown');
  if (info.use !== undefined && info.use !== 'access_token') {
    throw new InvalidTokenError('This is not an access token');
  }
  if (!info.subject) throw new InvalidTokenError('The token names no user');
}

function checkRequirements(info: TokenInfo, require: BearerRequirements): void {
  const missing = (require.scopes ?? []).filter((scope) => !info.scopes.includes(scope));
  if (missing.length > 0) throw new InsufficientScopeError(missing);
  if (require.audience && !info.audience.includes(require.audience)) {
    throw new InvalidTokenError('The token is not meant for this API');
  }
  if (require.clientIds && !require.clientIds.includes(info.clientId ?? '')) {
    throw new InvalidTokenError('The token was issued to another client');
  }
}
