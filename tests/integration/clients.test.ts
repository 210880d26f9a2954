import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { expect } from 'chai';

import { runCli } from '../support/cli';

import {
  clientsAdmin,
  secretMatches,
  SECRET_DIGEST_KEY,
} from '../../packages/hydra-oauth/lib/clients';
import { startHydra, type RunningHydra } from '../../scripts/stack';

const SECRET_A = 'alpha-secret-0123456789-abcdefghij';
const SECRET_A2 = 'alpha-secret-rotated-9876543210-zyx';

function clientA(overrides: Record<string, unknown> = {}) {
  return {
    client_id: 'shop-web',
    client_name: 'Shop web',
    client_secret: '${SHOP_WEB_SECRET}',
    redirect_uris: ['http://127.0.0.1:4100/callback'],
    post_logout_redirect_uris: ['http://127.0.0.1:4100/signed-out'],
    grant_types: ['authorization_code', 'refresh_token'],
    response_types: ['code'],
    scope: 'openid offline_access email',
    token_endpoint_auth_method: 'client_secret_basic',
    ...overrides,
  };
}

const clientB = {
  client_id: 'shop-app',
  client_name: 'Shop app',
  redirect_uris: ['http://127.0.0.1:4200/callback'],
  grant_types: ['authorization_code'],
  response_types: ['code'],
  scope: 'openid',
  token_endpoint_auth_method: 'none',
};

describe('clients apply against a real Hydra', function () {
  this.timeout(120_000);
  let hydra: RunningHydra;
  let dir: string;
  let file: string;
  const admin = () => clientsAdmin(hydra.adminUrl);
  const apply = (...extra: string[]) =>
    runCli(['clients', 'apply', file, '--admin-url', hydra.adminUrl, ...extra], {
      SHOP_WEB_SECRET: SECRET_A,
    });
  const writeClients = (clients: unknown[]) => writeFile(file, JSON.stringify(clients));

  before(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'hydra-oauth-clients-'));
    file = path.join(dir, 'clients.json');
    hydra = await startHydra({
      dataDir: path.join(dir, 'hydra'),
      loginUrl: 'http://127.0.0.1:9/account/login',
      consentUrl: 'http://127.0.0.1:9/account/consent',
      logoutUrl: 'http://127.0.0.1:9/account/logout',
      logFile: path.join(dir, 'hydra.log'),
    });
  });

  after(async () => {
    await hydra?.stop();
    await rm(dir, { recursive: true, force: true });
  });

  it('creates every declared client and never prints the secret', async () => {
    await writeClients([clientA(), clientB]);
    const result = await apply();

    expect(result.code, result.stderr).to.equal(0);
    expect(result.stdout).to.contain('+ create shop-web');
    expect(result.stdout).to.contain('+ create shop-app');
    expect(result.stdout).to.contain('2 to create, 0 to update, 0 to delete, 0 unchanged');
    expect(result.stdout).to.contain('client_secret: (set)');
    expect(result.stdout).not.to.contain(SECRET_A);

    const web = await admin().get('shop-web');
    expect(web.redirect_uris).to.deep.equal(['http://127.0.0.1:4100/callback']);
    expect(web.scope).to.equal('openid offline_access email');
    expect(secretMatches(SECRET_A, web.metadata?.[SECRET_DIGEST_KEY as never])).to.equal(true);
    expect((await admin().get('shop-app')).token_endpoint_auth_method).to.equal('none');
  });

  it('changes nothing when the same file is applied again', async () => {
    const before = await admin().get('shop-web');
    const result = await apply();

    expect(result.code, result.stderr).to.equal(0);
    expect(result.stdout).to.contain('= unchanged shop-web');
    expect(result.stdout).to.contain('0 to create, 0 to update, 0 to delete, 2 unchanged');
    expect((await admin().get('shop-web')).updated_at).to.equal(before.updated_at);
  });

  it('shows an edit with --dry-run and --check without applying it, exiting 1', async () => {
    await writeClients([clientA({ redirect_uris: ['http://127.0.0.1:4100/cb'] }), clientB]);
    const result = await apply('--dry-run', '--check');

    expect(result.code).to.equal(1);
    expect(result.stdout).to.contain('~ update shop-web');
    expect(result.stdout).to.contain(
      'redirect_uris: ["http://127.0.0.1:4100/callback"] -> ["http://127.0.0.1:4100/cb"]',
    );
    expect(result.stdout).to.contain('Dry run: nothing changed.');
    expect((await admin().get('shop-web')).redirect_uris).to.deep.equal([
      'http://127.0.0.1:4100/callback',
    ]);
  });

  it('updates an edited client, including a new secret, without showing the secret', async () => {
    await writeClients([clientA({ redirect_uris: ['http://127.0.0.1:4100/cb'] }), clientB]);
    const result = await runCli(['clients', 'apply', file, '--admin-url', hydra.adminUrl], {
      SHOP_WEB_SECRET: SECRET_A2,
    });

    expect(result.code, result.stderr).to.equal(0);
    expect(result.stdout).to.contain('~ update shop-web');
    expect(result.stdout).to.contain('client_secret: (changed; not shown)');
    expect(result.stdout).to.contain('= unchanged shop-app');
    expect(result.stdout).not.to.contain(SECRET_A2);
    const web = await admin().get('shop-web');
    expect(web.redirect_uris).to.deep.equal(['http://127.0.0.1:4100/cb']);
    expect(secretMatches(SECRET_A2, web.metadata?.[SECRET_DIGEST_KEY as never])).to.equal(true);
  });

  it('puts a field removed from the file back to Hydra\'s default', async () => {
    await writeClients([clientA({ skip_consent: true }), clientB]);
    expect((await apply()).code).to.equal(0);
    expect((await admin().get('shop-web')).skip_consent).to.equal(true);

    await writeClients([clientA(), clientB]);
    const result = await apply();
    expect(result.stdout).to.contain('skip_consent: true -> "(Hydra default)"');
    expect((await admin().get('shop-web')).skip_consent).to.equal(false);
  });

  it('prunes only the clients the file does not declare', async () => {
    await admin().create({ client_id: 'legacy-pos', redirect_uris: ['http://127.0.0.1:4300/cb'],
      token_endpoint_auth_method: 'none' });
    await writeClients([clientA()]);

    const kept = await apply();
    expect(kept.stdout).not.to.contain('legacy-pos');
    expect((await admin().list()).map((c) => c.client_id).sort()).to.deep.equal([
      'legacy-pos', 'shop-app', 'shop-web',
    ]);

    const pruned = await apply('--prune');
    expect(pruned.code, pruned.stderr).to.equal(0);
    expect(pruned.stdout).to.contain('- delete legacy-pos');
    expect(pruned.stdout).to.contain('- delete shop-app');
    expect(pruned.stdout).to.contain('= unchanged shop-web');
    expect((await admin().list()).map((c) => c.client_id)).to.deep.equal(['shop-web']);
  });

  it('lists, gets and deletes single clients', async () => {
    const list = await runCli(['clients', 'list', '--admin-url', hydra.adminUrl]);
    expect(list.code).to.equal(0);
    expect(list.stdout).to.equal('shop-web\tShop web\thttp://127.0.0.1:4100/callback\n');

    const got = await runCli(['clients', 'get', 'shop-web', '--admin-url', hydra.adminUrl]);
    expect(got.code).to.equal(0);
    expect(JSON.parse(got.stdout).client_id).to.equal('shop-web');

    const deleted = await runCli(['clients', 'delete', 'shop-web', '--admin-url', hydra.adminUrl]);
    expect(deleted.code).to.equal(0);
    expect(deleted.stdout).to.equal('Deleted shop-web.\n');
  });

  it('exits 4 for an unknown client, 2 for a bad file and 3 when Hydra is down', async () => {
    const unknown = await runCli(['clients', 'get', 'nobody', '--admin-url', hydra.adminUrl]);
    expect(unknown.code).to.equal(4);
    expect(unknown.stderr).to.contain('Hydra has no client "nobody"');

    await writeFile(file, JSON.stringify([{ client_id: 'x', redirect_uri: ['http://a/cb'] }]));
    const bad = await apply();
    expect(bad.code).to.equal(2);
    expect(bad.stderr).to.contain('[0].redirect_uri: not a Hydra client field (a typo?)');

    const down = await runCli(['clients', 'list', '--admin-url', 'http://127.0.0.1:9']);
    expect(down.code).to.equal(3);
    expect(down.stderr).to.contain('ECONNREFUSED');
  });
});
