/**
 * Every way a flow can fail, one class each. A flow error knows the HTTP status of the page
 * that answers it and the message key shown to the user; anything else that goes wrong is an
 * internal error and the page says only that.
 */

export type FlowKind = 'login' | 'consent' | 'logout';

export type ErrorMessageKey =
  | 'challengeMissing'
  | 'challengeUnknown'
  | 'challengeExpired'
  | 'hydraUnavailable'
  | 'csrfInvalid'
  | 'bodyTooLarge'
  | 'badRequest'
  | 'methodNotAllowed'
  | 'internal';

export abstract class FlowError extends Error {
  abstract readonly status: number;
  abstract readonly messageKey: ErrorMessageKey;
  /** Whether the page should offer to start the sign-in again at the client. */
  readonly restartable: boolean = false;
}

export class ChallengeMissingError extends FlowError {
  override name = 'ChallengeMissingError';
  readonly status = 400;
  readonly messageKey = 'challengeMissing';
  constructor(readonly flow: FlowKind) {
    super(`no ${flow} challenge in the request`);
  }
}

export class ChallengeUnknownError extends FlowError {
  override name = 'ChallengeUnknownError';
  readonly status = 404;
  readonly messageKey = 'challengeUnknown';
  constructor(readonly flow: FlowKind) {
    super(`Hydra does not know this ${flow} challenge`);
  }
}

export class ChallengeExpiredError extends FlowError {
  override name = 'ChallengeExpiredError';
  readonly status = 401;
  readonly messageKey = 'challengeExpired';
  override readonly restartable = true;
  // Hydra forgets an expired request, client included, so the page can only offer the
  // storefront from settings as the place to start over.
  constructor(readonly flow: FlowKind) {
    super(`the ${flow} challenge has expired`);
  }
}

/** Hydra did not answer, or answered with a server error. The process carries on. */
export class HydraUnavailableError extends FlowError {
  override name = 'HydraUnavailableError';
  readonly status = 503;
  readonly messageKey = 'hydraUnavailable';
  constructor(readonly detail: string) {
    super(`Hydra's admin API is unavailable: ${detail}`);
  }
}

/** Hydra refused a call in a way no user action can fix (a bug here, or a misconfiguration). */
export class HydraProtocolError extends FlowError {
  override name = 'HydraProtocolError';
  readonly status = 502;
  readonly messageKey = 'internal';
  constructor(readonly detail: string) {
    super(`unexpected answer from Hydra: ${detail}`);
  }
}

export class CsrfError extends FlowError {
  override name = 'CsrfError';
  readonly status = 403;
  readonly messageKey = 'csrfInvalid';
  override readonly restartable = true;
  constructor() {
    super('missing or invalid CSRF token');
  }
}

export class BodyTooLargeError extends FlowError {
  override name = 'BodyTooLargeError';
  readonly status = 413;
  readonly messageKey = 'bodyTooLarge';
  constructor(readonly limit: number) {
    super(`form body over ${limit} bytes`);
  }
}

export class BadRequestError extends FlowError {
  override name = 'BadRequestError';
  readonly status = 400;
  readonly messageKey = 'badRequest';
}

export class MethodNotAllowedError extends FlowError {
  override name = 'MethodNotAllowedError';
  readonly status = 405;
  readonly messageKey = 'methodNotAllowed';
  constructor(readonly method: string) {
    super(`method ${method} not allowed`);
  }
}

/**
 * Not a failure: Hydra already finished this challenge (a double submit, the back button).
 * Following Hydra's `redirect_to` lets the user continue where the flow went on.
 */
export class ChallengeHandledError extends Error {
  override name = 'ChallengeHandledError';
  constructor(readonly redirectTo: string) {
    super('challenge already handled');
  }
}
