/**
 * Every way a flow can fail, one class each. A flow error knows the HTTP status of the page
 * that answers it and the message key shown to the user; anything else that goes wrong is an
 * internal error and the page says only that.
 */

export type FlowKind = 'login' | 'consent' | 'logout' | 'account';

export type ErrorMessageKey =
  | 'challengeMissing'
  | 'challengeUnknown'
  | 'challengeExpired'
  | 'hydraUnavailable'
  | 'csrfInvalid'
  | 'bodyTooLarge'
  | 'unsupportedForm'
  | 'badRequest'
  | 'methodNotAllowed'
  | 'internal'
  | 'resetLinkUnknown'
  | 'resetLinkExpired'
  | 'verifyLinkUnknown'
  | 'verifyLinkExpired'
  | 'selfServiceDisabled'
  | 'tooManyRequests';

export abstract class FlowError extends Error {
  abstract readonly status: number;
  abstract readonly messageKey: ErrorMessageKey;
  /** Whether the page should offer to start the sign-in again at the client. */
  readonly restartable: boolean = false;
  /** Where the page's restart link goes instead of the storefront, with its label's key. */
  readonly restart?: { url: string; label: 'startAgain' | 'askNewLink' };
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

/** A post that is not an HTML form (JSON, multipart, ...): these routes read nothing else. */
export class UnsupportedFormError extends FlowError {
  override name = 'UnsupportedFormError';
  readonly status = 415;
  readonly messageKey = 'unsupportedForm';
  constructor(readonly contentType: string) {
    super(`form posted as ${contentType}`);
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

/** A mailed link whose token is unknown (used, replaced, never issued) or too old. */
export class AccountLinkError extends FlowError {
  override name = 'AccountLinkError';
  /** 410 Gone: the link existed once and will not work again; a new one must be asked for. */
  readonly status = 410;
  readonly messageKey: ErrorMessageKey;

  constructor(
    readonly link: 'reset' | 'verify',
    readonly reason: 'unknown' | 'expired',
    override readonly restart: { url: string; label: 'startAgain' | 'askNewLink' } | undefined,
  ) {
    super(`${link} link refused: ${reason}`);
    this.messageKey = `${link}Link${reason === 'unknown' ? 'Unknown' : 'Expired'}`;
  }
}

/** Self-service is switched off in settings, or the host gave no mailer or writable accounts. */
export class SelfServiceDisabledError extends FlowError {
  override name = 'SelfServiceDisabledError';
  readonly status = 404;
  readonly messageKey = 'selfServiceDisabled';
  constructor(readonly feature: string) {
    super(`${feature} is not enabled`);
  }
}
