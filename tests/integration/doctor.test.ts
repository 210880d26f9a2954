import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { expect } from 'chai';

import { runCli } from '../support/cli';

import {
  startDemoStack,
  storefrontClientDeclaration,
  STOREFRONT_CLIENT_ID,
  type DemoStack,
} from '../../scripts/devstack';
import { freePort, startHydra, type RunningHydra } from '../../scripts/stack';

interface Report {
  findings: Array<{ id: string; severity: string; what: string; why: string; fix: string }>;
}

describe('doctor against a real Hydra and identity provider', function () {
  this.timeout(180_000);
  let stack: DemoStack;
  let dir: string;
  let clientsFile: string;

  /** Writes a storefront description and runs `doctor --json` with it. */
  async function doctor(storefront: Record<string, unknown>, ...extra: string[]) {
    const file = path.join(dir, `storefront-${Math.random().toString(36).slice(2)}.json`);
    await writeFile(file, JSON.stringify(storefront));
    const result = await runCli(
      ['doctor', '--settings', stack.settingsFile, '--storefront', file, '--json', ...extra],
      { STOREFRONT_CLIENT_SECRET: await storefrontSecret() },
    );
    const report = JSON.parse(result.stdout || '{"findings":[]}') as Report;
    const problems = report.findings.filter((item) => item.severity !== 'info');
    return { ...result, report, ids: problems.map((item) => item.id) };
  }

  const storefrontSecret = async () =>
    (await readFile(path.join(dir, 'stack', 'secrets', 'storefront-client-secret'), 'utf8')).trim();
  const correctStorefront = () => ({
    clientId: STOREFRONT_CLIENT_ID,
    baseUrl: stack.storefrontUrl,
    issuer: stack.hydraPublicUrl,
  });

  before(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'hydra-oauth-doctor-'));
    stack = await startDemoStack({ dataDir: path.join(dir, 'stack') });
    clientsFile = path.join(dir, 'clients.json');
    await writeFile(
      clientsFile,
      JSON.stringify([storefrontClientDeclaration(stack.storefrontUrl)]),
    );
  });

  after(async () => {
    await stack?.stop();
    await rm(dir, { recursive: true, force: true });
  });

  it('passes the demo setup with exit 0, after following a sign-in to our login page', async () => {
    const result = await runCli(
      ['doctor', '--settings', stack.settingsFile, '--clients', clientsFile, '--storefront',
        await writeJson('good.json', correctStorefront())],
      { STOREFRONT_CLIENT_SECRET: await storefrontSecret() },
    );

    expect(result.code, result.stdout + result.stderr).to.equal(0);
    expect(result.stdout).to.contain('INFO  Hydra reports version');
    expect(result.stdout).to.match(/No problems found\.\n$/);
  });

  it('names an unknown client with its fix and exits 1', async () => {
    const result = await doctor({ ...correctStorefront(), clientId: 'storefrnt' });

    expect(result.code).to.equal(1);
    const found = result.report.findings.find((item) => item.id === 'client.unknown');
    expect(found?.what).to.equal(
      'Hydra has no client "storefrnt", the client id the storefront signs in with.',
    );
    expect(found?.fix).to.contain('npx hydra-oauth clients apply FILE');
  });

  it('names a redirect URI that differs by a trailing slash', async () => {
    const result = await doctor({
      ...correctStorefront(),
      redirectUri: `${stack.storefrontUrl}/callback/`,
    });

    expect(result.code).to.equal(1);
    expect(result.ids).to.deep.equal(['client.redirect-uri.trailing-slash']);
    const [found] = result.report.findings.filter((item) => item.severity === 'error');
    expect(found?.what).to.contain('differs only by a trailing slash');
    expect(found?.fix).to.equal(
      `Register exactly ${stack.storefrontUrl}/callback/ in redirect_uris of "storefront" (or ` +
        'make the storefront send the registered one) and apply the client file.',
    );
  });

  it('names a token endpoint auth method that differs from the storefront\'s', async () => {
    const result = await doctor({
      ...correctStorefront(),
      tokenEndpointAuthMethod: 'client_secret_post',
    });

    expect(result.code).to.equal(1);
    expect(result.ids).to.include('client.auth-method.mismatch');
    const found = result.report.findings.find((item) => item.id === 'client.auth-method.mismatch');
    expect(found?.fix).to.contain('Set token_endpoint_auth_method to client_secret_post');
  });

  it('names a post-logout URI on another host, which Hydra also refuses to register', async () => {
    const declared = await writeJson('far.json', [
      {
        client_id: STOREFRONT_CLIENT_ID,
        client_secret: '${STOREFRONT_CLIENT_SECRET}',
        redirect_uris: [`${stack.storefrontUrl}/callback`],
        post_logout_redirect_uris: ['https://old-shop.example/signed-out'],
        scope: 'openid offline_access email profile',
        grant_types: ['authorization_code', 'refresh_token'],
      },
    ]);
    const applied = await runCli(['clients', 'apply', declared, '--admin-url', stack.hydraAdminUrl],
      { STOREFRONT_CLIENT_SECRET: await storefrontSecret() });
    expect(applied.code).to.equal(4);
    expect(applied.stderr).to.contain('must match the domain, port, scheme');

    const result = await doctor(
      { ...correctStorefront(), postLogoutRedirectUri: 'https://old-shop.example/signed-out' },
      '--clients', declared,
    );
    expect(result.code).to.equal(1);
    expect(result.ids).to.have.members([
      'client.post-logout-uri.other-host',
      'client.drift',
      'client.post-logout-uri.other-host',
      'client.post-logout-uri.unregistered',
    ]);
    const found = result.report.findings.find((i) => i.id === 'client.post-logout-uri.other-host');
    expect(found?.what).to.equal(
      'Client "storefront" has post-logout URI https://old-shop.example/signed-out on host ' +
        `old-shop.example, but its redirect URIs are on ${new URL(stack.storefrontUrl).host}.`,
    );
    expect(found?.fix).to.contain(`Use a post-logout URI on ${new URL(stack.storefrontUrl).host}`);
  });

  it('names localhost against 127.0.0.1 as a cookie-losing host mismatch', async () => {
    const issuer = stack.hydraPublicUrl.replace('127.0.0.1', 'localhost');
    const result = await doctor({ ...correctStorefront(), issuer });

    expect(result.code).to.equal(1);
    expect(result.ids).to.deep.equal(['hosts.loopback-alias']);
    const [found] = result.report.findings.filter((item) => item.severity === 'error');
    expect(found?.what).to.equal(
      `Hydra's issuer is on ${new URL(stack.hydraPublicUrl).host} but the storefront's ` +
        `issuer is on ${new URL(issuer).host}.`,
    );
    expect(found?.why).to.contain('browsers keep cookies per host name');
  });

  it('exits 3 and says so when Hydra does not answer', async () => {
    const port = await freePort();
    const result = await runCli(['doctor', '--settings', stack.settingsFile], {
      HYDRA_ADMIN_URL: `http://127.0.0.1:${port}`,
    });

    expect(result.code).to.equal(3);
    expect(result.stdout).to.contain('[hydra.admin.unreachable]');
    expect(result.stdout).to.contain('fix: Start Hydra, or correct hydra.adminUrl');
  });

  describe('with a Hydra whose login URL misses the provider', () => {
    let hydra: RunningHydra;
    let settingsFile: string;

    before(async () => {
      hydra = await startHydra({
        dataDir: path.join(dir, 'wrong-hydra'),
        loginUrl: `${stack.idpUrl}/login`,
        consentUrl: `${stack.idpUrl}/account/consent`,
        logoutUrl: `${stack.idpUrl}/account/logout`,
        logFile: path.join(dir, 'wrong-hydra.log'),
      });
      const settings = JSON.parse(await readFile(stack.settingsFile, 'utf8'));
      const block = settings.packages['demand:hydra-oauth'];
      block.hydra = { adminUrl: hydra.adminUrl, publicUrl: hydra.publicUrl };
      settingsFile = await writeJson('wrong-settings.json', settings);
      const applied = await runCli(['clients', 'apply', clientsFile, '--admin-url', hydra.adminUrl],
        { STOREFRONT_CLIENT_SECRET: 'some-secret-for-the-second-hydra-0123' });
      expect(applied.code, applied.stderr).to.equal(0);
    });

    after(async () => {
      await hydra?.stop();
    });

    it('follows a sign-in and names the login URL to set', async () => {
      const result = await runCli(
        ['doctor', '--settings', settingsFile, '--provider-url', stack.idpUrl, '--json',
          '--storefront', await writeJson('wrong-sf.json', {
            ...correctStorefront(), issuer: hydra.publicUrl })],
      );

      expect(result.code, result.stderr).to.equal(1);
      const report = JSON.parse(result.stdout) as Report;
      const found = report.findings.find((item) => item.id === 'routes.login-url.elsewhere');
      expect(found?.what).to.equal(
        `Hydra sends browsers to ${stack.idpUrl}/login to sign in; this provider serves that ` +
          `at ${stack.idpUrl}/account/login.`,
      );
      expect(found?.fix).to.contain(`Set urls.login in Hydra's configuration (URLS_LOGIN) to`);
    });
  });

  async function writeJson(name: string, value: unknown): Promise<string> {
    const file = path.join(dir, name);
    await writeFile(file, JSON.stringify(value));
    return file;
  }
});

describe('doctor without settings', () => {
  it('says which option is missing and exits 2', async () => {
    const result = await runCli(['doctor'], { METEOR_SETTINGS: '' });
    expect(result.code).to.equal(2);
    expect(result.stderr).to.contain('pass --settings FILE');
  });
});
