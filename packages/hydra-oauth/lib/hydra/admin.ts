import { isAxiosError } from 'axios';
import type { OAuth2Api } from '@ory/hydra-client';
import {
  type AcceptOAuth2ConsentRequest,
  type OAuth2ConsentRequest,
  type OAuth2LoginRequest,
  type OAuth2LogoutRequest,
} from '@ory/hydra-client';
import {
  ChallengeExpiredError,
  ChallengeHandledError,
  ChallengeUnknownError,
  type FlowKind,
  HydraProtocolError,
  HydraUnavailableError,
} from '../flows/errors';
import { log } from '../log';

export type { OAuth2ConsentRequest, OAuth2LoginRequest, OAuth2LogoutRequest };

export interface ConsentGrant {
  scopes: string[];
  audience: string[];
  remember: boolean;
  rememberFor: number;
  idTokenClaims: Record<string, unknown>;
}

/** OAuth 2.0 error codes this provider sends when it turns a request down. */
export type RejectionCode = 'access_denied' | 'login_required' | 'consent_required';

export interface Rejection {
  error: RejectionCode;
  description: string;
}

/**
 * Hydra's admin API as the flows need it. Every answer is either the typed request, a redirect
 * URL, or one of the flow errors: callers never see an HTTP client error.
 */
export interface HydraAdmin {
  getLoginRequest(challenge: string): Promise<OAuth2LoginRequest>;
  acceptLogin(
    challenge: string,
    subject: string,
    session: { remember: boolean; rememberFor: number },
  ): Promise<string>;
  rejectLogin(challenge: string, rejection: Rejection): Promise<string>;
  getConsentRequest(challenge: string): Promise<OAuth2ConsentRequest>;
  acceptConsent(challenge: string, grant: ConsentGrant): Promise<string>;
  rejectConsent(challenge: string, rejection: Rejection): Promise<string>;
  getLogoutRequest(challenge: string): Promise<OAuth2LogoutRequest>;
  acceptLogout(challenge: string): Promise<string>;
  rejectLogout(challenge: string): Promise<void>;
}

/** Wraps the admin API client (see `createAdminApi`) for the three flows. */
export function createHydraAdmin(api: OAuth2Api): HydraAdmin {
  const call = <T>(flow: FlowKind, operation: string, run: () => Promise<{ data: T }>) =>
    run().then(
      (response) => response.data,
      (error: unknown) => {
        throw translateError(error, flow, operation);
      },
    );

  return {
    getLoginRequest: (challenge) =>
      call('login', 'get', () => api.getOAuth2LoginRequest({ loginChallenge: challenge })),
    acceptLogin: (challenge, subject, session) =>
      call('login', 'accept', () =>
        api.acceptOAuth2LoginRequest({
          loginChallenge: challenge,
          acceptOAuth2LoginRequest: {
            subject,
            remember: session.remember,
            remember_for: session.rememberFor,
          },
        }),
      ).then(redirectTarget),
    rejectLogin: (challenge, rejection) =>
      call('login', 'reject', () =>
        api.rejectOAuth2LoginRequest({
          loginChallenge: challenge,
          rejectOAuth2Request: toRejectBody(rejection),
        }),
      ).then(redirectTarget),
    getConsentRequest: (challenge) =>
      call('consent', 'get', () => api.getOAuth2ConsentRequest({ consentChallenge: challenge })),
    acceptConsent: (challenge, grant) =>
      call('consent', 'accept', () =>
        api.acceptOAuth2ConsentRequest({
          consentChallenge: challenge,
          acceptOAuth2ConsentRequest: toAcceptConsentBody(grant),
        }),
      ).then(redirectTarget),
    rejectConsent: (challenge, rejection) =>
      call('consent', 'reject', () =>
        api.rejectOAuth2ConsentRequest({
          consentChallenge: challenge,
          rejectOAuth2Request: toRejectBody(rejection),
        }),
      ).then(redirectTarget),
    getLogoutRequest: (challenge) =>
      call('logout', 'get', () => api.getOAuth2LogoutRequest({ logoutChallenge: challenge })),
    acceptLogout: (challenge) =>
      call('logout', 'accept', () =>
        api.acceptOAuth2LogoutRequest({ logoutChallenge: challenge }),
      ).then(redirectTarget),
    rejectLogout: (challenge) =>
      call('logout', 'reject', () =>
        api.rejectOAuth2LogoutRequest({ logoutChallenge: challenge }),
      ).then(() => undefined),
  };
}

function toRejectBody(rejection: Rejection) {
  return { error: rejection.error, error_description: rejection.description };
}

function toAcceptConsentBody(grant: ConsentGrant): AcceptOAuth2ConsentRequest {
  return {
    grant_scope: grant.scopes,
    grant_access_token_audience: grant.audience,
    remember: grant.remember,
    remember_for: grant.rememberFor,
    session: { id_token: grant.idTokenClaims },
  };
}

function redirectTarget(answer: { redirect_to: string }): string {
  if (typeof answer.redirect_to !== 'string' || answer.redirect_to === '') {
    throw new HydraProtocolError('accepted request came back without redirect_to');
  }
  return answer.redirect_to;
}

/**
 * Maps what Hydra answered to the flow's own errors. Hydra's status codes carry the meaning:
 * 404 an unknown challenge, 401 an expired one, 410 one already handled (with the URL where the
 * flow went on), 5xx or no answer at all an outage.
 */
export function translateError(error: unknown, flow: FlowKind, operation: string): Error {
  if (!isAxiosError(error)) return error instanceof Error ? error : new Error(String(error));

  const status = error.response?.status;
  if (status === undefined) {
    log.hydra('unreachable flow=%s op=%s code=%s', flow, operation, error.code ?? 'unknown');
    return new HydraUnavailableError(error.code ?? error.message);
  }
  if (status === 404) return new ChallengeUnknownError(flow);
  if (status === 401) return new ChallengeExpiredError(flow);
  if (status === 410) {
    const redirectTo = readRedirectTo(error.response?.data);
    if (redirectTo) return new ChallengeHandledError(redirectTo);
  }
  if (status >= 500) {
    log.hydra('server error flow=%s op=%s status=%d', flow, operation, status);
    return new HydraUnavailableError(`status ${status}`);
  }
  const detail = describeHydraError(error.response?.data);
  log.hydra('refused flow=%s op=%s status=%d detail=%s', flow, operation, status, detail);
  return new HydraProtocolError(`${operation} ${flow}: status ${status} ${detail}`);
}

function readRedirectTo(body: unknown): string | undefined {
  if (typeof body !== 'object' || body === null) return undefined;
  const value = (body as { redirect_to?: unknown }).redirect_to;
  return typeof value === 'string' && value !== '' ? value : undefined;
}

function describeHydraError(body: unknown): string {
  if (typeof body !== 'object' || body === null) return '';
  const { error, error_description: description } = body as Record<string, unknown>;
  return [error, description].filter((part) => typeof part === 'string').join(': ');
}
