import createDebug from 'debug';
import type { Store, SessionData } from 'express-session';
import { createRemoteJWKSet, jwtVerify, type JWTPayload } from 'jose';

const log = createDebug('storefront:backchannel');

/** OpenID Connect Back-Channel Logout 1.0 §2.4: the event that marks a logout token. */
const LOGOUT_EVENT = 'http://schemas.openid.net/event/backchannel-logout';

export class LogoutTokenError extends Error {
  override name = 'LogoutTokenError';
}

/**
 * Checks a logout token: signed by the issuer's keys (jose), for this client, recent, carrying
 * the logout event and a `sid` or `sub`, and no `nonce` (which would make it an ID token).
 */
export async function verifyLogoutToken(
  token: string,
  expected: { issuer: string; clientId: string; jwksUri: string },
): Promise<{ sid?: string; sub?: string }> {
  let payload: JWTPayload;
  try {
    ({ payload } = await jwtVerify(token, jwks(expected.jwksUri), {
      issuer: expected.issuer,
      audience: expected.clientId,
      maxTokenAge: '5m',
    }));
  } catch (error) {
    throw new LogoutTokenError(`logout token rejected: ${(error as Error).message}`);
  }
  const events = payload.events as Record<string, unknown> | undefined;
  if (typeof events !== 'object' || events === null || !(LOGOUT_EVENT in events)) {
    throw new LogoutTokenError('logout token without the back-channel logout event');
  }
  if ('nonce' in payload) throw new LogoutTokenError('logout token must not carry a nonce');
  const sid = typeof payload.sid === 'string' ? payload.sid : undefined;
  const sub = typeof payload.sub === 'string' ? payload.sub : undefined;
  if (!sid && !sub) throw new LogoutTokenError('logout token names neither sid nor sub');
  return { sid, sub };
}

const keySets = new Map<string, ReturnType<typeof createRemoteJWKSet>>();

/** One key set per issuer, so keys are fetched once and refetched only on rotation. */
function jwks(uri: string) {
  let keySet = keySets.get(uri);
  if (!keySet) {
    keySet = createRemoteJWKSet(new URL(uri));
    keySets.set(uri, keySet);
  }
  return keySet;
}

/**
 * Ends every local session that the logout token names: by Hydra session id when it has one,
 * else every session of the subject.
 */
export async function endSessions(
  store: Store,
  target: { sid?: string; sub?: string },
): Promise<number> {
  const all = await new Promise<Record<string, SessionData>>((resolve, reject) => {
    if (!store.all) {
      reject(new Error('the session store cannot list sessions'));
      return;
    }
    store.all((error, sessions) =>
      error ? reject(error) : resolve((sessions ?? {}) as Record<string, SessionData>),
    );
  });

  const ids = Object.entries(all)
    .filter(([, data]) => matches(data, target))
    .map(([id]) => id);
  await Promise.all(
    ids.map((id) => new Promise<void>((resolve) => store.destroy(id, () => resolve()))),
  );
  log('ended sessions count=%d by=%s', ids.length, target.sid ? 'sid' : 'sub');
  return ids.length;
}

function matches(data: SessionData, target: { sid?: string; sub?: string }): boolean {
  const claims = data.signedIn?.claims;
  if (!claims) return false;
  if (target.sid) return claims.sid === target.sid;
  return claims.sub === target.sub;
}
