/**
 * Why a bearer token was refused, one class per RFC 6750 error code. Each knows its HTTP status
 * and renders its own `WWW-Authenticate` challenge.
 */
export type BearerErrorCode = 'invalid_request' | 'invalid_token' | 'insufficient_scope';

export abstract class BearerTokenError extends Error {
  abstract readonly status: number;
  abstract readonly code: BearerErrorCode | undefined;
  constructor(readonly description: string) {
    super(description);
  }
}

/** No usable credentials for this scheme (e.g. `Basic`): a bare challenge, no error code. */
export class BearerMissingError extends BearerTokenError {
  override name = 'BearerMissingError';
  readonly status = 401;
  readonly code = undefined;
}

export class BearerRequestError extends BearerTokenError {
  override name = 'BearerRequestError';
  readonly status = 400;
  readonly code = 'invalid_request';
}

/** Expired, revoked, malformed, not an access token, or naming a user who is gone. */
export class InvalidTokenError extends BearerTokenError {
  override name = 'InvalidTokenError';
  readonly status = 401;
  readonly code = 'invalid_token';
}

export class InsufficientScopeError extends BearerTokenError {
  override name = 'InsufficientScopeError';
  readonly status = 403;
  readonly code = 'insufficient_scope';
  constructor(readonly requiredScopes: string[]) {
    super(`The token lacks the scope ${requiredScopes.join(' ')}`);
  }
}

/** Hydra could not be asked; the token may be fine, so this is not a 401. */
export class IntrospectionUnavailableError extends Error {
  override name = 'IntrospectionUnavailableError';
  readonly status = 503;
}

/** The `WWW-Authenticate` value for a refusal (RFC 6750 §3). */
export function bearerChallenge(realm: string, error: BearerTokenError): string {
  const parts = [`realm="${quote(realm)}"`];
  if (error.code) {
    parts.push(`error="${error.code}"`, `error_description="${quote(error.description)}"`);
  }
  if (error instanceof InsufficientScopeError) {
    parts.push(`scope="${quote(error.requiredScopes.join(' '))}"`);
  }
  return `Bearer ${parts.join(', ')}`;
}

/** RFC 6750 forbids `"` and `\` inside these values; drop them rather than escape. */
function quote(value: string): string {
  return value.replace(/["\\]/g, '');
}
