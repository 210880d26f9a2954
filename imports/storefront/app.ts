/**
 * The example storefront: a relying party that signs shoppers in through ORY Hydra.
 *
 * `createStorefront(config)` resolves to an Express app; `server.ts` listens with it. All
 * OpenID Connect work (discovery, PKCE, state, nonce, ID token validation, UserInfo) is done by
 * `openid-client`, a certified RP library; this file only decides what to ask for and what to
 * show. Every flow's steps are listed in order in its route handler below.
 */
import { randomBytes, timingSafeEqual } from 'node:crypto';
import { isIPv4 } from 'node:net';

import createDebug from 'debug';
import express from 'express';
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import session from 'express-session';
import * as client from 'openid-client';

import { ApiUnauthorizedError, createDemandApi, type DemandApi, type Viewer } from './api.js';
import { endSessions, LogoutTokenError, verifyLogoutToken } from './backchannel.js';

export interface StorefrontConfig {
  /** Hydra's public URL, e.g. http://127.0.0.1:4444; plain http only on a loopback host. */
  issuer: string;
  clientId: string;
  clientSecret: string;
  /** The storefront's own origin, e.g. http://127.0.0.1:4000; /callback hangs off it. */
  baseUrl: string;
  /** Scopes asked for when /login names none. */
  scopes?: string[];
  sessionSecret: string;
  title?: string;
  /** The demand API's GraphQL endpoint; when set, the home page shows its `viewer`. */
  apiUrl?: string;
  /**
   * The session cookie's name. Cookies ignore ports, so two storefronts on one host (a second
   * client in a demo or a test) need different names. Default `storefront.sid`.
   */
  sessionCookie?: string;
}

/** The config after its checks, with defaults filled in. */
interface CheckedConfig {
  issuer: URL;
  clientId: string;
  clientSecret: string;
  baseUrl: URL;
  scopes: string[];
  sessionSecret: string;
  title: string;
  apiUrl?: URL;
  sessionCookie: string;
}

interface PendingSignIn {
  state: string;
  nonce: string;
  codeVerifier: string;
}

interface SignedIn {
  claims: Record<string, unknown>;
  userinfo: Record<string, unknown>;
  grantedScope: string;
  idToken: string;
  accessToken: string;
  refreshToken?: string;
  /** When the access token expires, in milliseconds since the epoch. */
  expiresAt?: number;
  /** How many times the access token was renewed with the refresh token. */
  refreshes: number;
  /** Ties the sign-out form to this session (see `checkFormToken`). */
  formToken: string;
}

declare module 'express-session' {
  interface SessionData {
    pendingSignIn?: PendingSignIn;
    signedIn?: SignedIn;
    pendingSignOutState?: string;
  }
}

export const DEFAULT_SCOPES = ['openid', 'offline_access', 'email', 'profile'];

/** Scopes that /login?scope= may ask for, besides those in `config.scopes`. */
export const ALLOWED_SCOPES: ReadonlySet<string> = new Set([
  'openid', 'offline_access', 'offline', 'email', 'profile', 'address', 'phone',
]);

/** Hydra honours these `prompt` values; it rejects `select_account`. */
export const ALLOWED_PROMPTS: ReadonlySet<string> = new Set(['none', 'login', 'consent']);

/**
 * `screen_hint` values the identity provider understands; Hydra passes unknown authorization
 * parameters through in the login request's `request_url`, where the provider reads it.
 */
export const ALLOWED_SCREEN_HINTS: ReadonlySet<string> = new Set(['signup']);

export const SESSION_COOKIE = 'storefront.sid';

const CALLBACK_PATH = '/callback';
const SIGNED_OUT_PATH = '/signed-out';
export const BACKCHANNEL_LOGOUT_PATH = '/backchannel-logout';
/** Renew the access token when less than this is left, so no API call races its expiry. */
const REFRESH_AHEAD_MS = 10_000;
const DISCOVERY_TIMEOUT_SECONDS = 10;
const SESSION_MAX_AGE_MS = 8 * 60 * 60 * 1000;

const logHttp = createDebug('storefront:http');
const logFlow = createDebug('storefront:flow');
const logOidc = createDebug('storefront:oidc');
const logError = createDebug('storefront:error');

/// Config checks

export class StorefrontConfigError extends Error {
  override name = 'StorefrontConfigError';
}

/** Checks the config once, at start; a bad value names its key and what was expected. */
export function checkStorefrontConfig(config: StorefrontConfig): CheckedConfig {
  const issuer = requireUrl(config.issuer, 'issuer');
  if (issuer.protocol !== 'https:' && !mayUseInsecureHttp(issuer)) {
    throw new StorefrontConfigError(
      'storefront config: issuer must be an https URL (plain http only on a loopback host)');
  }

  const baseUrl = requireUrl(config.baseUrl, 'baseUrl');
  if (baseUrl.pathname !== '/' || baseUrl.search !== '' || baseUrl.hash !== '') {
    throw new StorefrontConfigError(
      'storefront config: baseUrl must be an origin without path, query or fragment');
  }

  const scopes = config.scopes ?? DEFAULT_SCOPES;
  if (!Array.isArray(scopes) || scopes.length === 0 || !scopes.every(isScopeToken)) {
    throw new StorefrontConfigError(
      'storefront config: scopes must be a non-empty array of scope tokens');
  }

  return {
    issuer,
    clientId: requireText(config.clientId, 'clientId'),
    clientSecret: requireText(config.clientSecret, 'clientSecret'),
    baseUrl,
    scopes: withOpenId(scopes),
    sessionSecret: requireText(config.sessionSecret, 'sessionSecret'),
    title: config.title === undefined ? 'Storefront' : requireText(config.title, 'title'),
    apiUrl: config.apiUrl === undefined ? undefined : requireUrl(config.apiUrl, 'apiUrl'),
    sessionCookie: config.sessionCookie === undefined
      ? SESSION_COOKIE
      : requireText(config.sessionCookie, 'sessionCookie'),
  };
}

function requireText(value: unknown, key: string): string {
  if (typeof value !== 'string' || value.trim() === '') {
    throw new StorefrontConfigError(`storefront config: ${key} must be a non-empty string`);
  }
  return value;
}

function requireUrl(value: unknown, key: string): URL {
  const text = requireText(value, key);
  if (!URL.canParse(text)) {
    throw new StorefrontConfigError(`storefront config: ${key} must be an absolute URL`);
  }
  const url = new URL(text);
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new StorefrontConfigError(`storefront config: ${key} must be an http(s) URL`);
  }
  return url;
}

/// Pure decisions

/** True for `localhost`, 127.0.0.0/8 and ::1, the hosts only this machine can answer on. */
export function isLoopbackHost(hostname: string): boolean {
  const host = hostname.toLowerCase();
  if (host === 'localhost' || host === '::1' || host === '[::1]') return true;
  return isIPv4(host) && host.split('.')[0] === '127';
}

/**
 * Plain http is tolerated only when the issuer is on this machine (a developer's or a test's
 * Hydra); anywhere else tokens and codes would cross the network in clear text.
 */
export function mayUseInsecureHttp(issuer: URL): boolean {
  return issuer.protocol === 'http:' && isLoopbackHost(issuer.hostname);
}

/** RFC 6749 §3.3: a scope token is one or more printable ASCII characters but `"` and `\`. */
function isScopeToken(value: unknown): value is string {
  return typeof value === 'string' && /^[\x21\x23-\x5B\x5D-\x7E]+$/.test(value);
}

/** This is an OpenID Connect client: without `openid` there would be no ID token to check. */
function withOpenId(scopes: readonly string[]): string[] {
  return [...new Set(['openid', ...scopes])];
}

/**
 * Decides the scopes of one sign-in from the `scope` query value: absent means the configured
 * defaults; otherwise every space-separated scope must be allowed, so a crafted link cannot make
 * the storefront ask for arbitrary grants.
 */
export function parseScopeParam(raw: unknown, defaults: readonly string[]): string[] {
  if (raw === undefined) return withOpenId(defaults);
  if (typeof raw !== 'string') throw new BadSignInRequest('scope must be given once');

  const requested = raw.split(' ').filter((scope) => scope !== '');
  const allowed = new Set([...ALLOWED_SCOPES, ...defaults]);
  const unknown = requested.find((scope) => !allowed.has(scope));
  if (unknown !== undefined) throw new BadSignInRequest(`scope "${unknown}" is not offered`);
  return withOpenId(requested);
}

/**
 * Decides the `prompt` of one sign-in: absent means none is sent; otherwise each value must be
 * one Hydra honours, and `none` stands alone as OpenID Connect Core §3.1.2.1 requires.
 */
export function parsePromptParam(raw: unknown): string | undefined {
  if (raw === undefined) return undefined;
  if (typeof raw !== 'string') throw new BadSignInRequest('prompt must be given once');

  const prompts = [...new Set(raw.split(' ').filter((prompt) => prompt !== ''))];
  if (prompts.length === 0) return undefined;
  const unknown = prompts.find((prompt) => !ALLOWED_PROMPTS.has(prompt));
  if (unknown !== undefined) throw new BadSignInRequest(`prompt "${unknown}" is not offered`);
  if (prompts.includes('none') && prompts.length > 1) {
    throw new BadSignInRequest('prompt "none" cannot be combined with other values');
  }
  return prompts.join(' ');
}

/** Decides the `screen_hint` of one sign-in: absent means none; otherwise an allowed value. */
export function parseScreenHintParam(raw: unknown): string | undefined {
  if (raw === undefined || raw === '') return undefined;
  if (typeof raw !== 'string') throw new BadSignInRequest('screen_hint must be given once');
  if (!ALLOWED_SCREEN_HINTS.has(raw)) {
    throw new BadSignInRequest(`screen_hint "${raw}" is not offered`);
  }
  return raw;
}

/** The query value if it was given exactly once as text; repeated keys arrive as arrays. */
function singleQueryValue(req: Request, key: string): string | undefined {
  const value: unknown = req.query[key];
  return typeof value === 'string' ? value : undefined;
}

/// HTML, escaped by default

const HTML_ESCAPES: Record<string, string> = {
  '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;',
};

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (char) => HTML_ESCAPES[char] ?? char);
}

/** Markup that is already safe; only the `html` tag makes one. */
export class SafeHtml {
  constructor(readonly value: string) {}
  toString(): string {
    return this.value;
  }
}

type HtmlValue = SafeHtml | string | number | undefined | readonly HtmlValue[];

function htmlValue(value: HtmlValue): string {
  if (value === undefined) return '';
  if (value instanceof SafeHtml) return value.value;
  if (Array.isArray(value)) return value.map(htmlValue).join('');
  return escapeHtml(String(value));
}

/** Template tag that escapes every interpolated value unless it is itself `html` output. */
export function html(strings: TemplateStringsArray, ...values: HtmlValue[]): SafeHtml {
  let out = strings[0] ?? '';
  values.forEach((value, index) => {
    out += htmlValue(value) + (strings[index + 1] ?? '');
  });
  return new SafeHtml(out);
}

function prettyJson(value: unknown): string {
  return JSON.stringify(value, null, 2);
}

/// Errors: each knows its status and the one message a shopper sees

export class StorefrontError extends Error {
  override name = 'StorefrontError';
  constructor(
    readonly status: number,
    readonly publicMessage: string,
    detail: string,
    options?: { cause?: unknown },
  ) {
    super(detail, options);
  }
}

export class BadSignInRequest extends StorefrontError {
  override name = 'BadSignInRequest';
  constructor(detail: string) {
    super(400, `This sign-in link cannot be used: ${detail}.`, detail);
  }
}

export class MissingFlowState extends StorefrontError {
  override name = 'MissingFlowState';
  constructor() {
    super(400, 'No sign-in was started in this browser, or it was already completed. '
      + 'Please sign in again.', 'no pending sign-in in the session');
  }
}

export class FlowStateMismatch extends StorefrontError {
  override name = 'FlowStateMismatch';
  constructor() {
    super(400, 'This sign-in response does not belong to the sign-in started in this browser. '
      + 'Please sign in again.', 'state does not match the pending sign-in');
  }
}

export class MissingAuthorizationCode extends StorefrontError {
  override name = 'MissingAuthorizationCode';
  constructor() {
    super(400, 'The sign-in response carries no authorization code. Please sign in again.',
      'callback without code');
  }
}

export class BadFormToken extends StorefrontError {
  override name = 'BadFormToken';
  constructor() {
    super(403, 'This form has expired. Please go back, reload the page and try again.',
      'form token missing or wrong');
  }
}

export class IssuerUnavailable extends StorefrontError {
  override name = 'IssuerUnavailable';
  constructor(detail: string, cause: unknown) {
    super(502, 'The sign-in service cannot be reached right now. Please try again in a moment.',
      detail, { cause });
  }
}

export class SignInRejected extends StorefrontError {
  override name = 'SignInRejected';
  constructor(detail: string, cause: unknown) {
    super(502, 'The sign-in service gave an answer the storefront cannot accept. '
      + 'Please sign in again.', detail, { cause });
  }
}

class PageNotFound extends StorefrontError {
  override name = 'PageNotFound';
  constructor(path: string) {
    super(404, 'There is no such page here.', `no route for path=${path}`);
  }
}

/** Fetch failures and timeouts mean Hydra was not reached; openid-client may wrap them. */
function isNetworkFailure(err: unknown, depth = 0): boolean {
  if (!(err instanceof Error) || depth > 3) return false;
  if (err.name === 'TimeoutError' || err.name === 'AbortError') return true;
  if (err instanceof TypeError && err.message === 'fetch failed') return true;
  return isNetworkFailure(err.cause, depth + 1);
}

/** Only stable fields: an openid-client error's `cause` may hold response bodies with tokens. */
function describeError(err: unknown): string {
  if (!(err instanceof Error)) return `error=${typeof err}`;
  const code = 'code' in err && typeof err.code === 'string' ? ` code=${err.code}` : '';
  const oauthError = 'error' in err && typeof err.error === 'string' ? ` oauth=${err.error}` : '';
  return `error=${err.name}${code}${oauthError} message=${JSON.stringify(err.message)}`;
}

/** Classifies a failure of a call to Hydra made after discovery (token, UserInfo). */
function issuerCallFailure(step: string, err: unknown): StorefrontError {
  if (err instanceof StorefrontError) return err;
  if (isNetworkFailure(err)) return new IssuerUnavailable(`${step} unreachable`, err);
  return new SignInRejected(`${step} failed`, err);
}

/// The issuer, discovered lazily

interface IssuerConnection {
  /** Discovers Hydra on first use; a failure is not cached, so the next request retries. */
  configuration(): Promise<client.Configuration>;
}

function connectIssuer(config: CheckedConfig): IssuerConnection {
  let discovered: Promise<client.Configuration> | undefined;

  async function discover(): Promise<client.Configuration> {
    const started = Date.now();
    const configuration = await client.discovery(
      config.issuer,
      config.clientId,
      undefined,
      client.ClientSecretBasic(config.clientSecret),
      {
        execute: mayUseInsecureHttp(config.issuer) ? [client.allowInsecureRequests] : [],
        timeout: DISCOVERY_TIMEOUT_SECONDS,
      },
    );
    logOidc('discovered issuer=%s ms=%d', config.issuer.href, Date.now() - started);
    return configuration;
  }

  return {
    configuration() {
      discovered ??= discover().catch((err: unknown) => {
        discovered = undefined;
        logOidc('discovery failed issuer=%s %s', config.issuer.href, describeError(err));
        throw new IssuerUnavailable('discovery failed', err);
      });
      return discovered;
    },
  };
}

/// Pages

interface PageParts {
  title: string;
  body: SafeHtml;
}

function renderPage(config: CheckedConfig, page: PageParts): string {
  return html`<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${page.title} · ${config.title}</title>
<link rel="stylesheet" href="/storefront.css">
</head>
<body>
<header><a class="brand" href="/">${config.title}</a></header>
<main>
${page.body}
</main>
</body>
</html>
`.value;
}

function signedOutBody(): SafeHtml {
  return html`<h1>Welcome, shopper</h1>
<p>Status: <span class="status" data-testid="status">signed-out</span></p>
<p>Sign in to see who the identity provider says you are.</p>
<p><a class="button" href="/login" data-testid="sign-in">Sign in</a>
<a href="/signup" data-testid="sign-up">Create an account</a></p>`;
}

function displayName(signedIn: SignedIn): string {
  for (const key of ['name', 'preferred_username', 'email', 'sub']) {
    const value = signedIn.userinfo[key] ?? signedIn.claims[key];
    if (typeof value === 'string' && value !== '') return value;
  }
  return 'shopper';
}

function viewerBody(result: ViewerResult | undefined): SafeHtml {
  if (result === undefined) return html``;
  if ('unavailable' in result) {
    return html`<h2>Demand API</h2><p data-testid="viewer-error">${result.unavailable}</p>`;
  }
  return html`<h2>Demand API <code>viewer</code></h2>
<pre data-testid="viewer">${prettyJson(result.viewer)}</pre>`;
}

function signedInBody(signedIn: SignedIn, viewer?: ViewerResult): SafeHtml {
  return html`<h1>Welcome, ${displayName(signedIn)}</h1>
<p>Status: <span class="status" data-testid="status">signed-in</span></p>
<p>Access token renewed <span data-testid="refresh-count">${String(signedIn.refreshes)}</span>
 times</p>
${viewerBody(viewer)}
<p>Granted scopes: <code data-testid="granted-scope">${signedIn.grantedScope}</code></p>
<h2>ID token claims</h2>
<pre data-testid="claims">${prettyJson(signedIn.claims)}</pre>
<h2>UserInfo</h2>
<pre data-testid="userinfo">${prettyJson(signedIn.userinfo)}</pre>
<form method="post" action="/logout">
<input type="hidden" name="form_token" value="${signedIn.formToken}">
<button type="submit" data-testid="sign-out">Sign out</button>
</form>`;
}

function oauthErrorBody(code: string, description: string | undefined): SafeHtml {
  return html`<h1>Sign-in did not complete</h1>
<div class="error" data-testid="oauth-error">
<p><code data-testid="oauth-error-code">${code}</code></p>
${description === undefined ? undefined
    : html`<p data-testid="oauth-error-description">${description}</p>`}
</div>
<p><a href="/">Back to the storefront</a> · <a href="/login">Try again</a></p>`;
}

function signedOutPageBody(confirmedByIssuer: boolean): SafeHtml {
  const note = confirmedByIssuer
    ? 'You are signed out of the storefront and of the identity provider.'
    : 'You are signed out of the storefront.';
  return html`<h1>Signed out</h1>
<p>Status: <span class="status" data-testid="status">signed-out</span></p>
<p>${note}</p>
<p><a href="/" data-testid="home">Back to the storefront</a></p>`;
}

function errorBody(err: StorefrontError): SafeHtml {
  const startAgain = err.status === 400 || err.status === 403 || err.status === 502;
  return html`<h1>Something went wrong</h1>
<p class="error" data-testid="error">${err.publicMessage}</p>
<p><a href="/">Back to the storefront</a>${startAgain
    ? html` · <a href="/login">Sign in again</a>` : undefined}</p>`;
}

const STYLESHEET = `body { font: 16px/1.5 system-ui, sans-serif; margin: 0; color: #1d2330; }
header { background: #1d2330; padding: 0.75rem 1.5rem; }
header .brand { color: #fff; font-weight: 600; text-decoration: none; }
main { max-width: 48rem; margin: 2rem auto; padding: 0 1.5rem; }
pre { background: #f3f4f7; padding: 1rem; overflow-x: auto; border-radius: 6px; }
.status { font-family: ui-monospace, monospace; }
.error { border-left: 4px solid #c0392b; padding-left: 1rem; }
.button, button { display: inline-block; background: #2857c5; color: #fff; border: 0;
  border-radius: 6px; padding: 0.5rem 1.25rem; font: inherit; text-decoration: none;
  cursor: pointer; }
`;

/// Session helpers

function regenerateSession(req: Request): Promise<void> {
  return new Promise((resolve, reject) => {
    req.session.regenerate((err: unknown) => (err ? reject(err) : resolve()));
  });
}

function randomToken(): string {
  return randomBytes(32).toString('base64url');
}

/** Constant-time, so response timing tells nothing about how much of a secret was right. */
function sameSecret(expected: string, given: unknown): boolean {
  if (typeof given !== 'string') return false;
  const a = Buffer.from(expected);
  const b = Buffer.from(given);
  return a.length === b.length && timingSafeEqual(a, b);
}

/**
 * The session cookie is SameSite=Lax, which already keeps other sites' forms from carrying it;
 * the per-session token is the second lock the security baseline asks of every form.
 */
function checkFormToken(signedIn: SignedIn, body: unknown): void {
  const given = typeof body === 'object' && body !== null && 'form_token' in body
    ? body.form_token : undefined;
  if (!sameSecret(signedIn.formToken, given)) throw new BadFormToken();
}

/// Flow steps

function callbackUrl(config: CheckedConfig): URL {
  return new URL(CALLBACK_PATH, config.baseUrl);
}

/**
 * The URL Hydra redirected to, rebuilt from our own base URL rather than the Host header:
 * openid-client sends it (without query) as the token request's redirect_uri.
 */
function currentCallbackUrl(config: CheckedConfig, req: Request): URL {
  const url = callbackUrl(config);
  url.search = new URL(req.originalUrl, config.baseUrl).search;
  return url;
}

/** A pending sign-in is used once, whatever the outcome: a replayed callback finds nothing. */
/**
 * The sign-in this answer belongs to. It ends only when the state matches, so a forged answer
 * sent to this browser cannot cancel the shopper's real sign-in.
 */
function takeMatchingSignIn(req: Request, state: string | undefined): PendingSignIn {
  const pending = req.session.pendingSignIn;
  if (pending === undefined) throw new MissingFlowState();
  checkState(pending, state);
  delete req.session.pendingSignIn;
  return pending;
}

/** Compared here before the library does too, so a mismatch gets its own clear page. */
function checkState(pending: PendingSignIn, state: string | undefined): void {
  if (state === undefined || !sameSecret(pending.state, state)) throw new FlowStateMismatch();
}

async function exchangeCode(
  configuration: client.Configuration,
  currentUrl: URL,
  pending: PendingSignIn,
): Promise<client.TokenEndpointResponse & client.TokenEndpointResponseHelpers> {
  try {
    return await client.authorizationCodeGrant(configuration, currentUrl, {
      pkceCodeVerifier: pending.codeVerifier,
      expectedState: pending.state,
      expectedNonce: pending.nonce,
      idTokenExpected: true,
    });
  } catch (err) {
    throw issuerCallFailure('token exchange', err);
  }
}

async function fetchUserinfoFor(
  configuration: client.Configuration,
  accessToken: string,
  subject: string,
): Promise<Record<string, unknown>> {
  try {
    return { ...(await client.fetchUserInfo(configuration, accessToken, subject)) };
  } catch (err) {
    throw issuerCallFailure('userinfo', err);
  }
}

/// Route handlers, one per step a shopper takes

/** What every handler needs: the checked config and the (lazily discovered) issuer. */
interface Storefront {
  config: CheckedConfig;
  issuer: IssuerConnection;
  api?: DemandApi;
  /** Shared with the back-channel logout route, which ends sessions other than its own. */
  sessionStore: session.Store;
}

/**
 * The home page. Signed in, the access token is renewed when it is about to expire and the
 * demand API is asked who the shopper is; when the session cannot be renewed the shopper
 * carries on signed out instead of being sent to a login form.
 */
function showHome(storefront: Storefront): RequestHandler {
  const { config } = storefront;
  return async (req, res) => {
    let signedIn = req.session.signedIn;
    let viewer: ViewerResult | undefined;
    if (signedIn !== undefined) {
      signedIn = await keepSessionAlive(storefront, req);
      if (signedIn !== undefined) viewer = await askViewer(storefront, req, signedIn);
      signedIn = req.session.signedIn;
    }
    const body = signedIn === undefined ? signedOutBody() : signedInBody(signedIn, viewer);
    res.type('html').send(renderPage(config, { title: 'Home', body }));
  };
}

type ViewerResult = { viewer: Viewer | null } | { unavailable: string };

/** Renews the access token ahead of its expiry; a refusal ends the session. */
async function keepSessionAlive(
  { issuer }: Storefront,
  req: Request,
): Promise<SignedIn | undefined> {
  const signedIn = req.session.signedIn;
  if (signedIn === undefined) return undefined;
  if (signedIn.expiresAt !== undefined && signedIn.expiresAt - Date.now() > REFRESH_AHEAD_MS) {
    return signedIn;
  }
  return renewOrDrop(await issuer.configuration(), req, signedIn);
}

async function renewOrDrop(
  configuration: client.Configuration,
  req: Request,
  signedIn: SignedIn,
): Promise<SignedIn | undefined> {
  if (signedIn.refreshToken === undefined) return dropSession(req, 'no refresh token');
  try {
    const tokens = await client.refreshTokenGrant(configuration, signedIn.refreshToken);
    const renewed: SignedIn = {
      ...signedIn,
      accessToken: tokens.access_token,
      refreshToken: tokens.refresh_token ?? signedIn.refreshToken,
      idToken: tokens.id_token ?? signedIn.idToken,
      expiresAt: expiryOf(tokens),
      refreshes: signedIn.refreshes + 1,
    };
    req.session.signedIn = renewed;
    logFlow('access token renewed sub=%s', String(signedIn.claims.sub));
    return renewed;
  } catch (err) {
    if (isNetworkFailure(err)) throw issuerCallFailure('refresh', err);
    return dropSession(req, describeError(err));
  }
}

async function dropSession(req: Request, reason: string): Promise<undefined> {
  logFlow('session dropped: %s', reason);
  await regenerateSession(req);
  return undefined;
}

async function askViewer(
  storefront: Storefront,
  req: Request,
  signedIn: SignedIn,
): Promise<ViewerResult | undefined> {
  const { api, issuer } = storefront;
  if (api === undefined) return undefined;
  try {
    return { viewer: await api.viewer(signedIn.accessToken) };
  } catch (err) {
    if (!(err instanceof ApiUnauthorizedError)) {
      logFlow('demand API unavailable: %s', describeError(err));
      return { unavailable: 'The demand API did not answer.' };
    }
  }
  // Refused although not yet expired (revoked, say): renew once, then give up the session.
  const renewed = await renewOrDrop(await issuer.configuration(), req, signedIn);
  if (renewed === undefined) return undefined;
  try {
    return { viewer: await api.viewer(renewed.accessToken) };
  } catch {
    await dropSession(req, 'the demand API refused a renewed token');
    return undefined;
  }
}

function expiryOf(tokens: { expiresIn(): number | undefined }): number | undefined {
  const seconds = tokens.expiresIn();
  return seconds === undefined ? undefined : Date.now() + seconds * 1000;
}

/** Sends the shopper to Hydra with fresh state, nonce and PKCE verifier kept in the session. */
function startSignIn({ config, issuer }: Storefront): RequestHandler {
  return async (req, res) => {
    const scopes = parseScopeParam(req.query.scope, config.scopes);
    const prompt = parsePromptParam(req.query.prompt);
    const screenHint = parseScreenHintParam(req.query.screen_hint);
    const configuration = await issuer.configuration();

    const pending: PendingSignIn = {
      state: client.randomState(),
      nonce: client.randomNonce(),
      codeVerifier: client.randomPKCECodeVerifier(),
    };
    // A newer sign-in in the same browser replaces an unfinished one.
    req.session.pendingSignIn = pending;

    const parameters: Record<string, string> = {
      redirect_uri: callbackUrl(config).href,
      scope: scopes.join(' '),
      state: pending.state,
      nonce: pending.nonce,
      code_challenge: await client.calculatePKCECodeChallenge(pending.codeVerifier),
      code_challenge_method: 'S256',
    };
    if (prompt !== undefined) parameters.prompt = prompt;
    if (screenHint !== undefined) parameters.screen_hint = screenHint;

    logFlow('sign-in started scopes=%s prompt=%s', parameters.scope, prompt ?? '-');
    res.redirect(302, client.buildAuthorizationUrl(configuration, parameters).href);
  };
}

/** Takes Hydra's answer: an OAuth error is shown; a code is exchanged and the shopper kept. */
function finishSignIn(storefront: Storefront): RequestHandler {
  const { config, issuer } = storefront;
  return async (req, res) => {
    const error = singleQueryValue(req, 'error');
    if (error !== undefined) {
      showAuthorizationError(storefront, req, res, error);
      return;
    }

    const pending = takeMatchingSignIn(req, singleQueryValue(req, 'state'));
    if (singleQueryValue(req, 'code') === undefined) throw new MissingAuthorizationCode();

    const configuration = await issuer.configuration();
    const tokens = await exchangeCode(configuration, currentCallbackUrl(config, req), pending);
    const claims = tokens.claims();
    if (claims === undefined || tokens.id_token === undefined) {
      throw new SignInRejected('token response without id_token', null);
    }
    const userinfo = await fetchUserinfoFor(configuration, tokens.access_token, claims.sub);

    // A fresh session id once signed in, so an id planted before sign-in is worth nothing.
    await regenerateSession(req);
    req.session.signedIn = {
      claims: { ...claims },
      userinfo,
      grantedScope: tokens.scope ?? '',
      idToken: tokens.id_token,
      accessToken: tokens.access_token,
      refreshToken: tokens.refresh_token,
      expiresAt: expiryOf(tokens),
      refreshes: 0,
      formToken: randomToken(),
    };
    logFlow('sign-in completed sub=%s scope=%s', claims.sub, tokens.scope ?? '-');
    res.redirect(303, '/');
  };
}

/**
 * Hydra sent the shopper back with an OAuth error (denied consent, `prompt=none` without a
 * session, ...). Shown as a page, not thrown: it is an answer, not a fault. Only an answer
 * whose state matches a sign-in started here is shown; anything else could be anyone's text.
 */
function showAuthorizationError(
  { config }: Storefront,
  req: Request,
  res: Response,
  code: string,
): void {
  takeMatchingSignIn(req, singleQueryValue(req, 'state'));
  const description = singleQueryValue(req, 'error_description');
  logFlow('sign-in answered with error=%s', code);
  res.type('html').send(renderPage(config, {
    title: 'Sign-in did not complete',
    body: oauthErrorBody(code, description),
  }));
}

/** RP-initiated logout: ends the local session, then asks Hydra to end its own. */
function signOut({ config, issuer }: Storefront): RequestHandler {
  return async (req, res) => {
    const signedIn = req.session.signedIn;
    if (signedIn === undefined) {
      res.redirect(303, SIGNED_OUT_PATH);
      return;
    }
    checkFormToken(signedIn, req.body);

    // The local session ends first, whatever Hydra says next.
    await regenerateSession(req);
    const state = client.randomState();
    req.session.pendingSignOutState = state;
    logFlow('sign-out started sub=%s', String(signedIn.claims.sub));

    const configuration = await issuer.configuration();
    const endSession = client.buildEndSessionUrl(configuration, {
      id_token_hint: signedIn.idToken,
      post_logout_redirect_uri: new URL(SIGNED_OUT_PATH, config.baseUrl).href,
      state,
    });
    res.redirect(303, endSession.href);
  };
}

/** Where Hydra returns after logout; the state tells whether Hydra's session ended too. */
function showSignedOut({ config }: Storefront): RequestHandler {
  return (req, res) => {
    if (req.session.signedIn !== undefined) {
      res.redirect(302, '/');
      return;
    }
    const expected = req.session.pendingSignOutState;
    const confirmed = expected !== undefined
      && sameSecret(expected, singleQueryValue(req, 'state'));
    delete req.session.pendingSignOutState;
    const body = signedOutPageBody(confirmed);
    res.type('html').send(renderPage(config, { title: 'Signed out', body }));
  };
}

/// The app

/**
 * OpenID Connect Back-Channel Logout: Hydra posts a signed logout token when the shopper's
 * session ends elsewhere (another client signed out, or the shop revoked it); every local
 * session it names ends too.
 */
function backchannelLogout({ config, issuer, sessionStore }: Storefront): RequestHandler {
  return async (req, res) => {
    res.set('Cache-Control', 'no-store');
    const token = typeof req.body?.logout_token === 'string' ? req.body.logout_token : undefined;
    if (token === undefined) {
      res.status(400).json({ error: 'invalid_request', error_description: 'logout_token missing' });
      return;
    }
    const configuration = await issuer.configuration();
    const metadata = configuration.serverMetadata();
    try {
      const target = await verifyLogoutToken(token, {
        issuer: metadata.issuer,
        clientId: config.clientId,
        jwksUri: metadata.jwks_uri ?? '',
      });
      await endSessions(sessionStore, target);
      res.status(200).end();
    } catch (err) {
      if (!(err instanceof LogoutTokenError)) throw err;
      logFlow('back-channel logout refused: %s', err.message);
      res.status(400).json({ error: 'invalid_request', error_description: 'bad logout token' });
    }
  };
}

function sessions(config: CheckedConfig, store: session.Store): RequestHandler {
  const behindTls = config.baseUrl.protocol === 'https:';
  return session({
    // Specific name: the identity provider runs on the same host, and cookies ignore ports.
    name: config.sessionCookie,
    secret: config.sessionSecret,
    // TODO(example only): the in-memory store loses sessions on restart and never leaves one
    // process; a real shop keeps sessions in a shared store such as Redis or MongoDB.
    store,
    resave: false,
    saveUninitialized: false,
    // With an https base URL, TLS ends at a proxy in front of us; trust it to say so.
    proxy: behindTls,
    cookie: {
      httpOnly: true,
      sameSite: 'lax',
      secure: behindTls,
      maxAge: SESSION_MAX_AGE_MS,
      path: '/',
    },
  });
}

/**
 * Builds the storefront. Nothing here talks to Hydra: discovery happens on the first request
 * that needs it and is retried on later requests until it succeeds, so the storefront may start
 * before Hydra does. Throws `StorefrontConfigError` for a bad config.
 */
export async function createStorefront(input: StorefrontConfig): Promise<express.Express> {
  const config = checkStorefrontConfig(input);
  const storefront: Storefront = {
    config,
    issuer: connectIssuer(config),
    api: config.apiUrl === undefined ? undefined : createDemandApi(config.apiUrl.href),
    sessionStore: new session.MemoryStore(),
  };
  const app = express();

  app.disable('x-powered-by');
  app.post(
    BACKCHANNEL_LOGOUT_PATH,
    express.urlencoded({ extended: false, limit: '16kb' }),
    backchannelLogout(storefront),
  );
  app.use(logRequests, securityHeaders, sessions(config, storefront.sessionStore));

  app.get('/healthz', (_req, res) => {
    res.type('text/plain').send('ok');
  });
  app.get('/storefront.css', (_req, res) => {
    res.type('text/css').send(STYLESHEET);
  });
  app.get('/', showHome(storefront));
  app.get('/login', startSignIn(storefront));
  // A sign-in that opens on the provider's sign-up screen.
  app.get('/signup', (_req, res) => {
    res.redirect(302, '/login?screen_hint=signup');
  });
  app.get(CALLBACK_PATH, finishSignIn(storefront));
  app.post('/logout', express.urlencoded({ extended: false, limit: '4kb' }), signOut(storefront));
  app.get(SIGNED_OUT_PATH, showSignedOut(storefront));

  app.use((req, _res, next) => {
    next(new PageNotFound(req.path));
  });
  app.use((err: unknown, req: Request, res: Response, next: NextFunction) => {
    renderError(config, err, req, res, next);
  });
  return app;
}

/// Middleware

function logRequests(req: Request, res: Response, next: NextFunction): void {
  const started = Date.now();
  // The path only: callback queries carry authorization codes.
  res.on('finish', () => {
    logHttp('method=%s path=%s status=%d ms=%d', req.method, req.path, res.statusCode,
      Date.now() - started);
  });
  next();
}

function securityHeaders(_req: Request, res: Response, next: NextFunction): void {
  // Pages show personal claims: keep them out of caches and out of other sites' frames.
  res.set('Cache-Control', 'no-store');
  // The callback URL carries the authorization code; never hand it on as a Referer.
  res.set('Referrer-Policy', 'no-referrer');
  res.set('X-Content-Type-Options', 'nosniff');
  // No form-action: browsers apply it to the redirects after the sign-out form, which lead
  // through Hydra to the identity provider's own origin.
  res.set('Content-Security-Policy',
    "default-src 'none'; style-src 'self'; base-uri 'none'; frame-ancestors 'none'");
  next();
}

/** Errors the storefront does not know, and Express's own (body too large, ...), as pages. */
function toStorefrontError(err: unknown): StorefrontError {
  if (err instanceof StorefrontError) return err;
  const status = typeof err === 'object' && err !== null && 'status' in err
    && typeof err.status === 'number' ? err.status : 500;
  if (status >= 400 && status < 500) {
    return new StorefrontError(status, 'The request could not be understood.', 'client error',
      { cause: err });
  }
  return new StorefrontError(500, 'Something unexpected happened. Please try again.',
    'unexpected error', { cause: err });
}

function renderError(
  config: CheckedConfig,
  err: unknown,
  req: Request,
  res: Response,
  next: NextFunction,
): void {
  const failure = toStorefrontError(err);
  const cause = failure === err ? failure.cause : err;
  logError('method=%s path=%s status=%d %s cause=(%s)', req.method, req.path, failure.status,
    describeError(failure), cause === undefined ? '-' : describeError(cause));
  // Only faults nobody foresaw get their stack; known failures are described in one line.
  if (failure.status === 500 && cause instanceof Error && cause.stack !== undefined) {
    logError('%s', cause.stack);
  }

  if (res.headersSent) {
    next(err);
    return;
  }
  res.status(failure.status).type('html').send(renderPage(config, {
    title: 'Error',
    body: errorBody(failure),
  }));
}
