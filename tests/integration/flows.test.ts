import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { expect } from 'chai';
import { DEMO_USER, STOREFRONT_CLIENT_ID, startDemoStack, type DemoStack } from '../../scripts/devstack';
import { freePort } from '../../scripts/stack';
import { createStandaloneApp } from '../../imports/standalone/app';
import { loadSettings } from '../../packages/hydra-oauth/lib/settings';
import { HttpAgent, hiddenField } from '../support/httpAgent';

/** Starts an authorization request at Hydra and returns the login challenge it hands out. */
async function loginChallenge(agent: HttpAgent, stack: DemoStack, scope = 'openid email') {
  const auth = new URL('/oauth2/auth', stack.hydraPublicUrl);
  auth.search = new URLSearchParams({
    client_id: STOREFRONT_CLIENT_ID,
    response_type: 'code',
    scope,
    redirect_uri: `${stack.storefrontUrl}/callback`,
    state: 'integration-state-1234',
    nonce: 'integration-nonce-1234',
  }).toString();
  const response = await agent.request(auth.toString());
  const location = response.headers.get('location');
  if (!location) throw new Error(`Hydra answered ${response.status} without a redirect`);
  const challenge = new URL(location).searchParams.get('login_challenge');
  if (!challenge) throw new Error(`no login_challenge in ${location}`);
  return { challenge, loginUrl: location };
}


describe('login, consent and logout against a real Hydra', function () {
  this.timeout(120_000);
  let stack: DemoStack;
  let dataDir: string;

  before(async () => {
    dataDir = await mkdtemp(path.join(os.tmpdir(), 'hydra-oauth-flows-'));
    stack = await startDemoStack({ dataDir });
  });

  after(async () => {
    await stack?.stop();
    await rm(dataDir, { recursive: true, force: true });
  });

  it('answers a login request without a challenge with a 400 page', async () => {
    const response = await fetch(`${stack.idpUrl}/account/login`);
    expect(response.status).to.equal(400);
    const html = await response.text();
    expect(html).to.contain('must be opened from a sign-in link');
    expect(response.headers.get('cache-control')).to.equal('no-store');
    expect(response.headers.get('referrer-policy')).to.equal('no-referrer');
    expect(response.headers.get('content-security-policy')).to.contain("frame-ancestors 'none'");
  });

  it('answers an unknown challenge with a 404 page', async () => {
    const response = await fetch(`${stack.idpUrl}/account/login?login_challenge=not-a-real-one`);
    expect(response.status).to.equal(404);
    expect(await response.text()).to.contain('not valid');
  });

  it('answers an unknown consent or logout challenge with a 404 page too', async () => {
    const consent = await fetch(`${stack.idpUrl}/account/consent?consent_challenge=nope`);
    const logout = await fetch(`${stack.idpUrl}/account/logout?logout_challenge=nope`);
    expect([consent.status, logout.status]).to.deep.equal([404, 404]);
  });

  it('refuses a POST without a CSRF token, or with a wrong one, with 403', async () => {
    const agent = new HttpAgent();
    const { challenge, loginUrl } = await loginChallenge(agent, stack);
    const page = await agent.request(loginUrl);
    expect(page.status).to.equal(200);
    const token = hiddenField(await page.text(), 'csrf_token');
    expect(token).to.have.length.greaterThan(20);
    const credentials = { challenge, identifier: DEMO_USER.email, password: DEMO_USER.password };

    const without = await agent.request(`${stack.idpUrl}/account/login`, { form: credentials });
    expect(without.status).to.equal(403);
    const wrong = await agent.request(`${stack.idpUrl}/account/login`, {
      form: { ...credentials, csrf_token: `${token.slice(0, -4)}AAAA` },
    });
    expect(wrong.status).to.equal(403);
    const stranger = new HttpAgent();
    const noCookie = await stranger.request(`${stack.idpUrl}/account/login`, {
      form: { ...credentials, csrf_token: token },
    });
    expect(noCookie.status).to.equal(403);
  });

  it('signs in over HTTP with only 302/303 redirects, ours all pointing at Hydra', async () => {
    const agent = new HttpAgent();
    const { challenge, loginUrl } = await loginChallenge(agent, stack);
    const page = await agent.request(loginUrl);
    const csrfToken = hiddenField(await page.text(), 'csrf_token');
    const { url } = await agent.follow(`${stack.idpUrl}/account/login`, {
      form: { challenge, csrf_token: csrfToken, identifier: DEMO_USER.email, password: DEMO_USER.password },
    });

    expect(url).to.match(new RegExp(`^${stack.storefrontUrl}/callback\\?code=`));
    const ours = agent.hops.filter((hop) => hop.url.startsWith(stack.idpUrl) && hop.location);
    expect(ours.length).to.be.greaterThanOrEqual(2);
    for (const hop of ours) {
      expect(hop.status, hop.url).to.equal(hop.method === 'POST' ? 303 : 302);
      expect(hop.location, hop.url).to.match(new RegExp(`^${stack.hydraPublicUrl}/`));
    }
    for (const hop of agent.hops.filter((h) => h.location)) {
      expect(hop.status).to.not.equal(301);
    }
  });

  it('shows the same message for a wrong password and an unknown e-mail, with 401', async () => {
    const agent = new HttpAgent();
    const messages: string[] = [];
    for (const identifier of [DEMO_USER.email, 'nobody@example.com']) {
      const { challenge, loginUrl } = await loginChallenge(agent, stack);
      const csrfToken = hiddenField(await (await agent.request(loginUrl)).text(), 'csrf_token');
      const response = await agent.request(`${stack.idpUrl}/account/login`, {
        form: { challenge, csrf_token: csrfToken, identifier, password: 'not the password' },
      });
      expect(response.status).to.equal(401);
      const html = await response.text();
      messages.push(/data-testid="login-error"[^>]*>([^<]*)</.exec(html)?.[1] ?? '');
    }
    expect(messages[0]).to.equal('That e-mail or username and password do not match.');
    expect(messages[1]).to.equal(messages[0]);
  });

  it('answers a reused, already accepted challenge without an error page', async () => {
    const agent = new HttpAgent();
    const { challenge, loginUrl } = await loginChallenge(agent, stack);
    const csrfToken = hiddenField(await (await agent.request(loginUrl)).text(), 'csrf_token');
    const form = { challenge, csrf_token: csrfToken, identifier: DEMO_USER.email, password: DEMO_USER.password };
    const first = await agent.request(`${stack.idpUrl}/account/login`, { form });
    expect(first.status).to.equal(303);
    await agent.request(first.headers.get('location') ?? '');

    // Hydra v2.3 keeps flows in the challenge itself and answers a used one again (200); older
    // releases answer 410 with redirect_to. Either way the user gets a form or goes on to Hydra.
    const again = await agent.request(`${stack.idpUrl}/account/login?login_challenge=${challenge}`);
    expect(again.status).to.be.oneOf([200, 302]);
    if (again.status === 302) {
      expect(again.headers.get('location')).to.match(new RegExp(`^${stack.hydraPublicUrl}/`));
    }
  });

  it('answers a post that is not a form with 415, not as an expired form', async () => {
    const agent = new HttpAgent();
    const { challenge, loginUrl } = await loginChallenge(agent, stack);
    const csrfToken = hiddenField(await (await agent.request(loginUrl)).text(), 'csrf_token');
    const response = await fetch(`${stack.idpUrl}/account/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', cookie: await agent.jar.getCookieString(stack.idpUrl) },
      body: JSON.stringify({ challenge, csrf_token: csrfToken }),
    });
    expect(response.status).to.equal(415);
    expect(await response.text()).to.contain('only accepts its own form');
  });

  it('gives an over-long password the generic message, not "fill in both fields"', async () => {
    const agent = new HttpAgent();
    const { challenge, loginUrl } = await loginChallenge(agent, stack);
    const csrfToken = hiddenField(await (await agent.request(loginUrl)).text(), 'csrf_token');
    const response = await agent.request(`${stack.idpUrl}/account/login`, {
      form: { challenge, csrf_token: csrfToken, identifier: DEMO_USER.email, password: 'x'.repeat(300) },
    });
    expect(response.status).to.equal(401);
    expect(await response.text()).to.contain('That e-mail or username and password do not match.');
  });

  it('refuses methods other than GET and POST, HEAD included, with 405', async () => {
    const response = await fetch(`${stack.idpUrl}/account/login`, { method: 'PUT' });
    expect(response.status).to.equal(405);
    expect(response.headers.get('allow')).to.equal('GET, POST');
    const head = await fetch(`${stack.idpUrl}/account/login?login_challenge=abc`, { method: 'HEAD' });
    expect(head.status).to.equal(405);
  });

  it('refuses an oversized form with 413', async () => {
    const response = await fetch(`${stack.idpUrl}/account/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: `password=${'x'.repeat(64 * 1024)}`,
    });
    expect(response.status).to.equal(413);
    expect(await response.text()).to.not.contain('at ');
  });
});

describe('an expired login challenge', function () {
  this.timeout(120_000);
  let stack: DemoStack;
  let dataDir: string;

  before(async () => {
    dataDir = await mkdtemp(path.join(os.tmpdir(), 'hydra-oauth-expiry-'));
    stack = await startDemoStack({ dataDir, ttl: { loginConsentRequest: 2 } });
  });

  after(async () => {
    await stack?.stop();
    await rm(dataDir, { recursive: true, force: true });
  });

  it('gets a 401 page with a way to start again', async () => {
    const agent = new HttpAgent();
    const { loginUrl } = await loginChallenge(agent, stack);
    await new Promise((resolve) => setTimeout(resolve, 3_000));
    const response = await agent.request(loginUrl);
    expect(response.status).to.equal(401);
    const html = await response.text();
    expect(html).to.contain('expired');
    expect(html).to.contain(`href="${stack.storefrontUrl}"`);
  });
});

describe("Hydra's admin API down", () => {
  let server: Server;
  let baseUrl: string;

  before(async () => {
    const closedPort = await freePort();
    const settings = loadSettings({
      hydra: { adminUrl: `http://127.0.0.1:${closedPort}`, requestTimeout: 2 },
      csrf: { secret: 'x'.repeat(32) },
    });
    const accounts = { verifyPassword: async () => null, findById: async () => null };
    const app = createStandaloneApp({ settings, accounts });
    server = app.listen(0, '127.0.0.1');
    await new Promise((resolve) => server.once('listening', resolve));
    baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });

  after(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it('answers 503 with a page, and the process serves the next request', async () => {
    const first = await fetch(`${baseUrl}/account/login?login_challenge=abc`);
    expect(first.status).to.equal(503);
    expect(await first.text()).to.contain('unavailable right now');
    const second = await fetch(`${baseUrl}/account/consent?consent_challenge=abc`);
    expect(second.status).to.equal(503);
    const health = await fetch(`${baseUrl}/healthz`);
    expect(health.status).to.equal(200);
  });
});
