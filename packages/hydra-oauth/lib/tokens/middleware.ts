import type { CoreRequest, CoreResponse, Next } from '../http/types';
import { log } from '../log';
import { authenticateBearer, type BearerAuth, type BearerOptions } from './bearer';
import {
  BearerRequestError,
  BearerTokenError,
  bearerChallenge,
  IntrospectionUnavailableError,
} from './errors';

export interface AuthenticatedRequest extends CoreRequest {
  auth?: BearerAuth;
}

/**
 * Connect-style middleware for the demand API: puts the caller on `req.auth` and calls `next`,
 * or answers the refusal itself with its status, a `WWW-Authenticate` challenge and a JSON body.
 */
export function createBearerMiddleware(options: BearerOptions & { realm: string }) {
  return (req: AuthenticatedRequest, res: CoreResponse, next: Next): void => {
    // Node keeps only the first of repeated Authorization headers; a request carrying two is
    // ambiguous about who is calling, so it is refused rather than guessed at.
    if (countHeader(req.rawHeaders, 'authorization') > 1) {
      refuse(res, options.realm, new BearerRequestError('Send one Authorization header'));
      return;
    }
    authenticateBearer(req.headers.authorization, options).then(
      (auth) => {
        req.auth = auth;
        next();
      },
      (error: unknown) => refuse(res, options.realm, error),
    );
  };
}

function countHeader(rawHeaders: string[], name: string): number {
  let count = 0;
  for (let index = 0; index < rawHeaders.length; index += 2) {
    if (rawHeaders[index]?.toLowerCase() === name) count += 1;
  }
  return count;
}

function refuse(res: CoreResponse, realm: string, error: unknown): void {
  if (error instanceof BearerTokenError) {
    res.setHeader('WWW-Authenticate', bearerChallenge(realm, error));
    sendJson(res, error.status, { error: error.code ?? 'unauthorized', error_description: error.description });
    return;
  }
  if (error instanceof IntrospectionUnavailableError) {
    log.http('introspection unavailable: %s', error.message);
    res.setHeader('Retry-After', '5');
    sendJson(res, 503, { error: 'temporarily_unavailable', error_description: 'Try again shortly' });
    return;
  }
  log.error('bearer check failed: %s', error instanceof Error ? error.message : String(error));
  sendJson(res, 500, { error: 'server_error', error_description: 'Internal error' });
}

function sendJson(res: CoreResponse, status: number, body: object): void {
  const text = JSON.stringify(body);
  res.statusCode = status;
  res.setHeader('Content-Type', 'application/json; charset=utf-8');
  res.setHeader('Cache-Control', 'no-store');
  res.setHeader('Content-Length', Buffer.byteLength(text));
  res.end(text);
}
