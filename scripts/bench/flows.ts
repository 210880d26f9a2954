import { createHash, randomBytes } from 'node:crypto';

import type { Browser, Answer } from './browser';
import { formAction, inputValues } from './html';
import type { ProviderId } from './types';

/** A login provider as the simulated browser meets it: behind one Hydra, with its own form. */
export interface FlowTarget {
  provider: ProviderId;
  hydraPublicUrl: string;
  clientId: string;
  redirectUri: string;
  /** The fields a person would submit on this provider's login page. */
  loginForm(hidden: ReadonlyMap<string, string>, remember: boolean): Record<string, string>;
}

/** Whether a flow must show the password form (`password`) or must not (`skip`). */
export type LoginExpectation = 'password' | 'skip';

export class FlowError extends Error {
  override name = 'FlowError';
}

export interface FlowOptions {
  /** Ticks "remember me", so later flows of the same browser are `skip`. */
  remember?: boolean;
  /** Space-separated scopes to ask for; the default asks for what a shop's client would. */
  scope?: string;
}

/** Enough for auth → login → (post) → auth → consent → auth → callback, with slack. */
const maxHops = 12;

/**
 * One authorization-code flow with PKCE, as a browser and a relying party do it, ending with
 * the code exchanged for tokens; resolves to the access token. Throws FlowError when any hop
 * answers other than expected.
 */
export async function authorizationCodeFlow(
  browser: Browser,
  target: FlowTarget,
  expectation: LoginExpectation,
  options: FlowOptions = {},
): Promise<string> {
  const pkce = newPkce();
  const state = randomBytes(12).toString('base64url');
  const scope = options.scope ?? 'openid email profile';
  let answer = await browser.get(authorizationUrl(target, scope, pkce.challenge, state));
  let formsSubmitted = 0;

  for (let hop = 0; hop < maxHops; hop += 1) {
    if (isRedirect(answer.status) && answer.location !== undefined) {
      if (answer.location.startsWith(target.redirectUri)) {
        const code = codeFrom(answer.location, state);
        return exchangeCode(browser, target, code, pkce.verifier);
      }
      answer = await browser.get(answer.location);
      continue;
    }
    assertLoginFormExpected(answer, expectation, formsSubmitted);
    formsSubmitted += 1;
    const form = target.loginForm(inputValues(answer.body), options.remember === true);
    answer = await browser.postForm(formAction(answer.body, answer.url), form);
  }
  throw new FlowError(`no callback after ${maxHops} hops`);
}

/** A 200 page is acceptable only as the first password form of a `password` flow. */
function assertLoginFormExpected(answer: Answer, expectation: LoginExpectation, shown: number) {
  const where = new URL(answer.url).pathname;
  if (answer.status !== 200 || !isLoginForm(answer.body)) {
    throw new FlowError(`unexpected ${answer.status} at ${where}`);
  }
  if (expectation === 'skip') throw new FlowError(`login form shown at ${where} despite skip`);
  if (shown > 0) throw new FlowError(`login form shown again at ${where}: sign-in refused`);
}

function isLoginForm(html: string): boolean {
  return /<input\b[^>]*type="password"/i.test(html) && /name="challenge"/.test(html);
}

function isRedirect(status: number): boolean {
  return status >= 300 && status < 400;
}

function newPkce(): { verifier: string; challenge: string } {
  const verifier = randomBytes(32).toString('base64url');
  const challenge = createHash('sha256').update(verifier).digest('base64url');
  return { verifier, challenge };
}

function authorizationUrl(
  target: FlowTarget,
  scope: string,
  codeChallenge: string,
  state: string,
): string {
  const url = new URL('/oauth2/auth', target.hydraPublicUrl);
  url.search = new URLSearchParams({
    client_id: target.clientId,
    response_type: 'code',
    scope,
    redirect_uri: target.redirectUri,
    state,
    code_challenge: codeChallenge,
    code_challenge_method: 'S256',
  }).toString();
  return url.toString();
}

function codeFrom(callback: string, state: string): string {
  const params = new URL(callback).searchParams;
  const error = params.get('error');
  if (error !== null) {
    const description = params.get('error_description') ?? '';
    throw new FlowError(`callback carries error=${error} ${description}`.trim());
  }
  if (params.get('state') !== state) throw new FlowError('callback state does not match');
  const code = params.get('code');
  if (code === null || code === '') throw new FlowError('callback carries no code');
  return code;
}

async function exchangeCode(
  browser: Browser,
  target: FlowTarget,
  code: string,
  verifier: string,
): Promise<string> {
  const tokenUrl = new URL('/oauth2/token', target.hydraPublicUrl).toString();
  const answer = await browser.postForm(tokenUrl, {
    grant_type: 'authorization_code',
    code,
    redirect_uri: target.redirectUri,
    client_id: target.clientId,
    code_verifier: verifier,
  });
  if (answer.status !== 200) throw new FlowError(`token endpoint answered ${answer.status}`);
  const tokens = JSON.parse(answer.body) as { access_token?: unknown; id_token?: unknown };
  if (typeof tokens.access_token !== 'string' || typeof tokens.id_token !== 'string') {
    throw new FlowError('token response lacks access_token or id_token');
  }
  return tokens.access_token;
}
