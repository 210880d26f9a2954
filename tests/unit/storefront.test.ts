import { createHash, generateKeyPairSync, randomBytes, sign } from 'node:crypto';
import type { Server } from 'node:http';

import { expect } from 'chai';
import express from 'express';
import getPort from 'get-port';

import {
  BadSignInRequest,
  checkStorefrontConfig,
  DEFAULT_SCOPES,
  escapeHtml,
  html,
  isLoopbackHost,
  mayUseInsecureHttp,
  parsePromptParam,
  parseScopeParam,
  SESSION_COOKIE,
  StorefrontConfigError,
} from '../../imports/storefront/app.js';
import type { StorefrontConfig } from '../../imports/storefront/app.js';
import { startStorefront, storefrontConfigFromEnv } from '../../imports/storefront/server.js';
import type { RunningStorefront } from '../../imports/storefront/server.js';

const CLIENT_ID = 'storefront-test';
const CLIENT_SECRET = 'storefront-test-secret';

function baseConfig(overrides: Partial<StorefrontConfig> = {}): StorefrontConfig {
  return {
    issuer: 'http://127.0.0.1:4444',
    clientId: CLIENT_ID,
    clientSecret: CLIENT_SECRET,
    baseUrl: 'http://127.0.0.1:4000',
    sessionSecret: 'a-session-secret-for-tests',
    ...overrides,
  };
}

describe('storefront: pure decisions', () => {
  describe('isLoopbackHost', () => {
    for (const host of ['localhost', 'LOCALHOST', '127.0.0.1', '127.8.9.10', '[::1]', '::1']) {
      it(`treats ${host} as loopback`, () => {
        expect(isLoopbackHost(host)).to.equal(true);
      });
    }
    for (const host of ['10.0.0.1', '0.0.0.0', '128.0.0.1', 'example.com',
      'localhost.example.com', '127.0.0.1.nip.io', '[::2]']) {
      it(`does not treat ${host} as loopback`, () => {
        expect(isLoopbackHost(host)).to.equal(false);
      });
    }
  });

  describe('mayUseInsecureHttp', () => {
    it('allows plain http only for an issuer on a loopback host', () => {
      expect(mayUseInsecureHttp(new URL('http://127.0.0.1:4444'))).to.equal(true);
      expect(mayUseInsecureHttp(new URL('http://localhost:4444'))).to.equal(true);
      expect(mayUseInsecureHttp(new URL('http://hydra.example.com'))).to.equal(false);
    });

    it('never relaxes https issuers, which need no relaxing', () => {
      expect(mayUseInsecureHttp(new URL('https://127.0.0.1:4444'))).to.equal(false);
    });
  });

  describe('parseScopeParam', () => {
    it('uses the configured scopes when the query names none', () => {
      expect(parseScopeParam(undefined, DEFAULT_SCOPES))
        .to.deep.equal(['openid', 'offline_access', 'email', 'profile']);
    });

    it('passes allowed scopes through, adding openid and dropping repeats', () => {
      expect(parseScopeParam('email  email profile', DEFAULT_SCOPES))
        .to.deep.equal(['openid', 'email', 'profile']);
      expect(parseScopeParam('openid', DEFAULT_SCOPES)).to.deep.equal(['openid']);
    });

    it('allows a scope that is among the configured ones', () => {
      expect(parseScopeParam('orders:read', ['openid', 'orders:read']))
        .to.deep.equal(['openid', 'orders:read']);
    });

    it('rejects a scope outside the allow-list with a 400 naming it', () => {
      expect(() => parseScopeParam('email admin', DEFAULT_SCOPES))
        .to.throw(BadSignInRequest, 'scope "admin" is not offered')
        .with.property('status', 400);
    });

    it('rejects a scope given twice as separate query keys', () => {
      expect(() => parseScopeParam(['email', 'profile'], DEFAULT_SCOPES))
        .to.throw(BadSignInRequest, 'scope must be given once');
    });
  });

  describe('parsePromptParam', () => {
    it('sends no prompt when none is asked for', () => {
      expect(parsePromptParam(undefined)).to.equal(undefined);
      expect(parsePromptParam(' ')).to.equal(undefined);
    });

    it('passes Hydra-supported prompts through', () => {
      expect(parsePromptParam('login')).to.equal('login');
      expect(parsePromptParam('login consent')).to.equal('login consent');
      expect(parsePromptParam('none')).to.equal('none');
    });

    it('rejects prompts Hydra does not honour', () => {
      expect(() => parsePromptParam('select_account'))
        .to.throw(BadSignInRequest, 'prompt "select_account" is not offered');
    });

    it('rejects none combined with another prompt', () => {
      expect(() => parsePromptParam('none login'))
        .to.throw(BadSignInRequest, 'prompt "none" cannot be combined with other values');
    });
  });

  describe('escaping', () => {
    it('escapes the five HTML-special characters', () => {
      expect(escapeHtml(`<a href="x" title='y'>&</a>`))
        .to.equal('&lt;a href=&quot;x&quot; title=&#39;y&#39;&gt;&amp;&lt;/a&gt;');
    });

    it('escapes every value put into the html template', () => {
      const claim = '</pre><script>alert(1)</script>';
      expect(html`<pre>${claim}</pre>`.value)
        .to.equal('<pre>&lt;/pre&gt;&lt;script&gt;alert(1)&lt;/script&gt;</pre>');
    });

    it('nests html fragments without escaping them twice', () => {
      const inner = html`<b>${'a&b'}</b>`;
      expect(html`<p>${inner}${[html`<i>1</i>`, '<2>']}${undefined}</p>`.value)
        .to.equal('<p><b>a&amp;b</b><i>1</i>&lt;2&gt;</p>');
    });
  });

  describe('checkStorefrontConfig', () => {
    it('fills in default scopes and title', () => {
      const checked = checkStorefrontConfig(baseConfig());
      expect(checked.scopes).to.deep.equal(DEFAULT_SCOPES);
      expect(checked.title).to.equal('Storefront');
    });

    it('refuses a plain-http issuer that is not on loopback', () => {
      expect(() => checkStorefrontConfig(baseConfig({ issuer: 'http://hydra.example.com' })))
        .to.throw(StorefrontConfigError, 'storefront config: issuer must be an https URL');
    });

    it('refuses a base URL with a path, since /callback hangs off the origin', () => {
      expect(() => checkStorefrontConfig(baseConfig({ baseUrl: 'http://127.0.0.1:4000/shop' })))
        .to.throw(StorefrontConfigError, 'storefront config: baseUrl must be an origin');
    });

    it('names a missing secret', () => {
      expect(() => checkStorefrontConfig(baseConfig({ sessionSecret: '' })))
        .to.throw(StorefrontConfigError, 'storefront config: sessionSecret must be');
    });

    it('refuses a scope that is not a scope token', () => {
      expect(() => checkStorefrontConfig(baseConfig({ scopes: ['openid', 'bad"scope'] })))
        .to.throw(StorefrontConfigError, 'storefront config: scopes must be');
    });
  });

  describe('storefrontConfigFromEnv', () => {
    const env = {
      STOREFRONT_ISSUER: 'http://127.0.0.1:4444',
      STOREFRONT_CLIENT_ID: 'id',
      STOREFRONT_CLIENT_SECRET: 'secret',
      STOREFRONT_SESSION_SECRET: 'session',
    };

    it('defaults the port to 4000 and the base URL to the listen address', () => {
      const config = storefrontConfigFromEnv(env);
      expect(config.port).to.equal(4000);
      expect(config.baseUrl).to.equal('http://127.0.0.1:4000');
    });

    it('names a missing variable', () => {
      expect(() => storefrontConfigFromEnv({ ...env, STOREFRONT_CLIENT_SECRET: undefined }))
        .to.throw(StorefrontConfigError, 'STOREFRONT_CLIENT_SECRET must be set');
    });

    it('rejects a port that is not a whole number in range', () => {
      for (const port of ['4000x', '0', '70000', '-1']) {
        expect(() => storefrontConfigFromEnv({ ...env, STOREFRONT_PORT: port }))
          .to.throw(StorefrontConfigError, 'STOREFRONT_PORT must be');
      }
    });
  });
});

/// A stand-in OpenID provider: just enough of Hydra's public API to exercise the storefront's
/// side of the code flow. Tests against the real Hydra live under tests/integration.

interface IssuedCode {
  codeChallenge: string;
  nonce: string;
  scope: string;
}

interface FakeIssuer {
  url: string;
  codes: Map<string, IssuedCode>;
  idTokens: string[];
  /** Overrides for the next ID token's claims, to make it invalid on purpose. */
  nextClaims: Record<string, unknown>;
  close(): Promise<void>;
}

function base64url(text: string): string {
  return Buffer.from(text).toString('base64url');
}

/** RFC 6749 §2.3.1: id and secret are form-encoded before they are joined and base64-encoded. */
function isClientAuthenticated(authorization: string | undefined): boolean {
  const [scheme, encoded] = (authorization ?? '').split(' ');
  if (scheme !== 'Basic' || encoded === undefined) return false;
  const [id, secret] = Buffer.from(encoded, 'base64').toString().split(':')
    .map((part) => decodeURIComponent(part.replace(/\+/g, ' ')));
  return id === CLIENT_ID && secret === CLIENT_SECRET;
}

async function startFakeIssuer(port: number): Promise<FakeIssuer> {
  const url = `http://127.0.0.1:${port}`;
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const jwk = { ...publicKey.export({ format: 'jwk' }), kid: 'k1', alg: 'RS256', use: 'sig' };
  const issuer: FakeIssuer = {
    url, codes: new Map(), idTokens: [], nextClaims: {}, close: async () => {},
  };

  function signIdToken(claims: Record<string, unknown>): string {
    const header = base64url(JSON.stringify({ alg: 'RS256', kid: 'k1', typ: 'JWT' }));
    const payload = base64url(JSON.stringify(claims));
    const signature = sign('sha256', Buffer.from(`${header}.${payload}`), privateKey);
    return `${header}.${payload}.${signature.toString('base64url')}`;
  }

  const app = express();
  app.get('/.well-known/openid-configuration', (_req, res) => {
    res.json({
      issuer: url,
      authorization_endpoint: `${url}/oauth2/auth`,
      token_endpoint: `${url}/oauth2/token`,
      userinfo_endpoint: `${url}/userinfo`,
      jwks_uri: `${url}/.well-known/jwks.json`,
      end_session_endpoint: `${url}/oauth2/sessions/logout`,
      response_types_supported: ['code'],
      subject_types_supported: ['public'],
      id_token_signing_alg_values_supported: ['RS256'],
      token_endpoint_auth_methods_supported: ['client_secret_basic'],
      code_challenge_methods_supported: ['S256'],
    });
  });
  app.get('/.well-known/jwks.json', (_req, res) => {
    res.json({ keys: [jwk] });
  });
  app.post('/oauth2/token', express.urlencoded({ extended: false }), (req, res) => {
    const issued = issuer.codes.get(String(req.body.code));
    const verifier = String(req.body.code_verifier);
    const challenge = createHash('sha256').update(verifier).digest('base64url');
    if (!isClientAuthenticated(req.get('authorization')) || issued === undefined
      || challenge !== issued.codeChallenge) {
      res.status(400).json({ error: 'invalid_grant' });
      return;
    }
    issuer.codes.delete(String(req.body.code));
    const now = Math.floor(Date.now() / 1000);
    const idToken = signIdToken({
      iss: url, sub: 'user-1', aud: CLIENT_ID, iat: now, exp: now + 300,
      nonce: issued.nonce, email: 'shopper@example.com', ...issuer.nextClaims,
    });
    issuer.idTokens.push(idToken);
    res.json({
      access_token: 'access-1', token_type: 'bearer', expires_in: 300,
      id_token: idToken, refresh_token: 'refresh-1', scope: issued.scope,
    });
  });
  app.get('/userinfo', (req, res) => {
    if (req.get('authorization') !== 'Bearer access-1') {
      res.status(401).json({ error: 'invalid_token' });
      return;
    }
    res.json({ sub: 'user-1', email: 'shopper@example.com', name: 'Sam <Shopper>' });
  });

  const server: Server = await new Promise((resolve) => {
    const listening = app.listen(port, '127.0.0.1', () => resolve(listening));
  });
  issuer.close = () => new Promise((resolve) => {
    server.close(() => resolve());
    server.closeAllConnections();
  });
  return issuer;
}

/// HTTP helpers: no redirects followed, one session cookie carried by hand.

interface Reply {
  status: number;
  location: string | undefined;
  cookie: string | undefined;
  setCookie: string | undefined;
  body: string;
  headers: Headers;
}

async function request(
  url: string,
  options: { cookie?: string; method?: string; form?: Record<string, string> } = {},
): Promise<Reply> {
  const headers: Record<string, string> = {};
  if (options.cookie !== undefined) headers.cookie = options.cookie;
  const response = await fetch(url, {
    method: options.method ?? 'GET',
    redirect: 'manual',
    headers,
    body: options.form === undefined ? undefined : new URLSearchParams(options.form),
  });
  const setCookie = response.headers.getSetCookie()
    .find((value) => value.startsWith(`${SESSION_COOKIE}=`));
  return {
    status: response.status,
    location: response.headers.get('location') ?? undefined,
    setCookie,
    cookie: setCookie?.split(';')[0],
    body: await response.text(),
    headers: response.headers,
  };
}

function textOf(body: string, testId: string): string | undefined {
  const match = new RegExp(`data-testid="${testId}"[^>]*>([^<]*)<`).exec(body);
  return match?.[1];
}

function expectNoStackTrace(body: string): void {
  expect(body).not.to.match(/\bat .+:\d+:\d+/);
  expect(body).not.to.contain('node_modules');
}

describe('storefront: HTTP routes with an unreachable issuer', () => {
  let issuerPort: number;
  let storefront: RunningStorefront;

  before(async () => {
    issuerPort = await getPort();
    const port = await getPort();
    storefront = await startStorefront({
      ...baseConfig({ issuer: `http://127.0.0.1:${issuerPort}`,
        baseUrl: `http://127.0.0.1:${port}` }),
      port,
    });
  });

  after(async () => {
    await storefront.close();
  });

  it('answers /healthz with 200 ok', async () => {
    const reply = await request(`${storefront.url}/healthz`);
    expect(reply.status).to.equal(200);
    expect(reply.body).to.equal('ok');
  });

  it('shows the signed-out home page with a sign-in link and sets no cookie', async () => {
    const reply = await request(`${storefront.url}/`);
    expect(reply.status).to.equal(200);
    expect(textOf(reply.body, 'status')).to.equal('signed-out');
    expect(reply.body).to.contain('<a class="button" href="/login" data-testid="sign-in">');
    expect(reply.setCookie).to.equal(undefined);
    expect(reply.headers.get('cache-control')).to.equal('no-store');
    expect(reply.headers.get('referrer-policy')).to.equal('no-referrer');
  });

  it('answers /callback without a pending sign-in with a 400 page', async () => {
    const reply = await request(`${storefront.url}/callback?code=abc`);
    expect(reply.status).to.equal(400);
    expect(textOf(reply.body, 'error')).to.equal('No sign-in was started in this browser, '
      + 'or it was already completed. Please sign in again.');
    expectNoStackTrace(reply.body);
  });

  it('refuses an OAuth error that belongs to no sign-in started here, with 400', async () => {
    const description = 'Your account is locked, call 0800 123';
    const query = new URLSearchParams({ error: 'access_denied', error_description: description });
    const reply = await request(`${storefront.url}/callback?${query}`);
    expect(reply.status).to.equal(400);
    expect(reply.body).not.to.contain('locked');
  });

  it('answers /login with a clean 502 page while the issuer is unreachable', async () => {
    const reply = await request(`${storefront.url}/login`);
    expect(reply.status).to.equal(502);
    expect(textOf(reply.body, 'error')).to.equal(
      'The sign-in service cannot be reached right now. Please try again in a moment.');
    expectNoStackTrace(reply.body);
    expect(reply.body).not.to.contain('ECONNREFUSED');
  });

  it('rejects a scope outside the allow-list with 400 before contacting the issuer', async () => {
    const reply = await request(`${storefront.url}/login?scope=openid%20admin`);
    expect(reply.status).to.equal(400);
    expect(textOf(reply.body, 'error'))
      .to.equal('This sign-in link cannot be used: scope &quot;admin&quot; is not offered.');
  });

  it('sends a sign-out without a session straight to the signed-out page', async () => {
    const reply = await request(`${storefront.url}/logout`, { method: 'POST' });
    expect(reply.status).to.equal(303);
    expect(reply.location).to.equal('/signed-out');
  });

  it('answers an unknown path with a 404 page', async () => {
    const reply = await request(`${storefront.url}/no-such-page`);
    expect(reply.status).to.equal(404);
    expect(textOf(reply.body, 'error')).to.equal('There is no such page here.');
  });

  it('discovers the issuer once it comes up, without a restart', async () => {
    const issuer = await startFakeIssuer(issuerPort);
    try {
      const reply = await request(`${storefront.url}/login`);
      expect(reply.status).to.equal(302);
      expect(reply.location).to.match(new RegExp(`^${issuer.url}/oauth2/auth\\?`));
    } finally {
      await issuer.close();
    }
  });
});

describe('storefront: code flow against a stand-in issuer', () => {
  let issuer: FakeIssuer;
  let storefront: RunningStorefront;
  let baseUrl: string;

  before(async () => {
    issuer = await startFakeIssuer(await getPort());
    const port = await getPort();
    baseUrl = `http://127.0.0.1:${port}`;
    storefront = await startStorefront({
      ...baseConfig({ issuer: issuer.url, baseUrl, title: 'Shop & Co' }),
      port,
    });
  });

  after(async () => {
    await storefront.close();
    await issuer.close();
  });

  beforeEach(() => {
    issuer.nextClaims = {};
  });

  /** Starts a sign-in and plays Hydra's part: returns the callback URL and session cookie. */
  async function signInUntilCallback(query = ''): Promise<{ callback: URL; cookie: string }> {
    const login = await request(`${storefront.url}/login${query}`);
    expect(login.status).to.equal(302);
    const authorization = new URL(String(login.location));
    const params = authorization.searchParams;
    const code = randomBytes(8).toString('hex');
    issuer.codes.set(code, {
      codeChallenge: String(params.get('code_challenge')),
      nonce: String(params.get('nonce')),
      scope: String(params.get('scope')),
    });
    const callback = new URL(`${baseUrl}/callback`);
    callback.search = new URLSearchParams({ code, state: String(params.get('state')) }).toString();
    return { callback, cookie: String(login.cookie) };
  }

  it('starts the flow with PKCE S256, state, nonce and the default scopes', async () => {
    const reply = await request(`${storefront.url}/login`);
    const params = new URL(String(reply.location)).searchParams;
    expect(params.get('response_type')).to.equal('code');
    expect(params.get('client_id')).to.equal(CLIENT_ID);
    expect(params.get('redirect_uri')).to.equal(`${baseUrl}/callback`);
    expect(params.get('scope')).to.equal('openid offline_access email profile');
    expect(params.get('code_challenge_method')).to.equal('S256');
    expect(params.get('code_challenge')).to.match(/^[A-Za-z0-9_-]{43}$/);
    expect(params.get('state')).to.match(/^[A-Za-z0-9_-]{43}$/);
    expect(params.get('nonce')).to.match(/^[A-Za-z0-9_-]{43}$/);
    expect(params.has('prompt')).to.equal(false);
    expect(reply.setCookie).to.match(/; HttpOnly/);
    expect(reply.setCookie).to.match(/; SameSite=Lax/);
  });

  it('passes requested scopes and prompt through', async () => {
    const reply = await request(`${storefront.url}/login?scope=email&prompt=login`);
    const params = new URL(String(reply.location)).searchParams;
    expect(params.get('scope')).to.equal('openid email');
    expect(params.get('prompt')).to.equal('login');
  });

  it('refuses a forged callback without cancelling the real sign-in, then a replay', async () => {
    const { callback, cookie } = await signInUntilCallback();
    const forged = new URL(callback.href);
    forged.searchParams.set('state', 'forged');
    const mismatch = await request(forged.href, { cookie });
    expect(mismatch.status).to.equal(400);
    expect(textOf(mismatch.body, 'error')).to.equal('This sign-in response does not belong to '
      + 'the sign-in started in this browser. Please sign in again.');

    const real = await request(callback.href, { cookie });
    expect(real.status).to.equal(303);
    const replay = await request(callback.href, { cookie: real.cookie });
    expect(replay.status).to.equal(400);
  });

  it('shows an OAuth error for the sign-in it answers, escaped', async () => {
    const { callback, cookie } = await signInUntilCallback();
    const state = String(callback.searchParams.get('state'));
    const query = new URLSearchParams({
      error: 'access_denied',
      error_description: '<script>alert("x")</script>',
      state,
    });
    const reply = await request(`${baseUrl}/callback?${query}`, { cookie });
    expect(reply.status).to.equal(200);
    expect(textOf(reply.body, 'oauth-error-code')).to.equal('access_denied');
    expect(textOf(reply.body, 'oauth-error-description'))
      .to.equal('&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;');
  });

  it('signs in, shows claims and userinfo, and signs out through the issuer', async () => {
    const { callback, cookie } = await signInUntilCallback();
    const done = await request(callback.href, { cookie });
    expect(done.status).to.equal(303);
    expect(done.location).to.equal('/');
    expect(done.cookie, 'a fresh session id after sign-in').to.be.a('string')
      .and.not.equal(cookie);

    const home = await request(`${storefront.url}/`, { cookie: done.cookie });
    expect(textOf(home.body, 'status')).to.equal('signed-in');
    expect(home.body).to.contain('<title>Home · Shop &amp; Co</title>');
    expect(home.body).to.contain('&quot;sub&quot;: &quot;user-1&quot;');
    expect(textOf(home.body, 'userinfo')).to.contain(
      '&quot;name&quot;: &quot;Sam &lt;Shopper&gt;&quot;');
    expect(textOf(home.body, 'granted-scope')).to.equal('openid offline_access email profile');
    expect(home.body).not.to.contain('access-1');
    const formToken = /name="form_token" value="([^"]+)"/.exec(home.body)?.[1];
    expect(formToken).to.be.a('string');

    const forged = await request(`${storefront.url}/logout`, {
      method: 'POST', cookie: done.cookie, form: { form_token: 'forged' },
    });
    expect(forged.status).to.equal(403);

    const logout = await request(`${storefront.url}/logout`, {
      method: 'POST', cookie: done.cookie, form: { form_token: String(formToken) },
    });
    expect(logout.status).to.equal(303);
    const endSession = new URL(String(logout.location));
    expect(`${endSession.origin}${endSession.pathname}`)
      .to.equal(`${issuer.url}/oauth2/sessions/logout`);
    expect(endSession.searchParams.get('id_token_hint')).to.equal(issuer.idTokens.at(-1));
    expect(endSession.searchParams.get('post_logout_redirect_uri'))
      .to.equal(`${baseUrl}/signed-out`);
    const state = String(endSession.searchParams.get('state'));

    const signedOut = await request(`${storefront.url}/signed-out?state=${state}`,
      { cookie: logout.cookie });
    expect(textOf(signedOut.body, 'status')).to.equal('signed-out');
    expect(signedOut.body).to.contain('signed out of the storefront and of the identity provider');

    const after = await request(`${storefront.url}/`, { cookie: done.cookie });
    expect(textOf(after.body, 'status')).to.equal('signed-out');
  });

  it('rejects an ID token whose nonce is not the one sent, with a 502 page', async () => {
    issuer.nextClaims = { nonce: 'someone-elses' };
    const { callback, cookie } = await signInUntilCallback();
    const issuedBefore = issuer.idTokens.length;
    const reply = await request(callback.href, { cookie });
    expect(issuer.idTokens.length, 'the issuer answered with tokens').to.equal(issuedBefore + 1);
    expect(reply.status).to.equal(502);
    expect(textOf(reply.body, 'error')).to.equal('The sign-in service gave an answer the '
      + 'storefront cannot accept. Please sign in again.');
    expectNoStackTrace(reply.body);
  });

  it('ends the pending sign-in when Hydra answers it with an error', async () => {
    const { callback, cookie } = await signInUntilCallback();
    const state = String(callback.searchParams.get('state'));
    const denied = await request(`${baseUrl}/callback?error=access_denied&state=${state}`,
      { cookie });
    expect(textOf(denied.body, 'oauth-error-code')).to.equal('access_denied');

    const late = await request(callback.href, { cookie });
    expect(late.status).to.equal(400);
  });
});
