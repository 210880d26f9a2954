import { mkdtemp, rm } from 'node:fs/promises';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { expect } from 'chai';
import { MongoClient } from 'mongodb';
import { newMeteorUserDocument } from '../../packages/hydra-oauth/lib/accounts/meteorUsers';
import { startDemoStack, type DemoStack } from '../../scripts/devstack';
import { obtainTokens, refreshTokens, revokeToken } from '../support/tokens';

const CACHE_SECONDS = 2;
const ACCESS_TOKEN_SECONDS = 4;
const VIEWER_QUERY = JSON.stringify({ query: '{ viewer { id username name emails { address verified } } }' });

describe('bearer tokens on the demand API', function () {
  this.timeout(120_000);
  let stack: DemoStack;
  let dataDir: string;

  before(async () => {
    dataDir = await mkdtemp(path.join(os.tmpdir(), 'hydra-oauth-tokens-'));
    stack = await startDemoStack({
      dataDir,
      ttl: { accessToken: ACCESS_TOKEN_SECONDS },
      tokenCacheSeconds: CACHE_SECONDS,
    });
  });

  after(async () => {
    await stack?.stop();
    await rm(dataDir, { recursive: true, force: true });
  });

  const askViewer = (authorization?: string) =>
    fetch(`${stack.idpUrl}/graphql`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        ...(authorization === undefined ? {} : { authorization }),
      },
      body: VIEWER_QUERY,
    });

  it('answers a valid access token with its user', async () => {
    const tokens = await obtainTokens(stack);
    const response = await askViewer(`Bearer ${tokens.access_token}`);
    expect(response.status).to.equal(200);
    const body = (await response.json()) as { data: { viewer: Record<string, unknown> } };
    expect(body.data.viewer).to.deep.equal({
      id: stack.demoUserId,
      username: 'shopper',
      name: 'Demo Shopper',
      emails: [{ address: 'shopper@example.com', verified: true }],
    });
  });

  it('treats a request without a header as anonymous', async () => {
    const response = await askViewer();
    expect(response.status).to.equal(200);
    expect(await response.json()).to.deep.equal({ data: { viewer: null } });
  });

  it('refuses a malformed token with 401 invalid_token', async () => {
    const response = await askViewer('Bearer not a token');
    expect(response.status).to.equal(401);
    expect(response.headers.get('www-authenticate')).to.equal(
      'Bearer realm="demand", error="invalid_token", error_description="The access token is malformed"',
    );
  });

  it('refuses an unknown token with 401 invalid_token', async () => {
    const response = await askViewer('Bearer ory_at_madeup.madeup');
    expect(response.status).to.equal(401);
    expect(response.headers.get('www-authenticate')).to.contain('error="invalid_token"');
  });

  it('refuses a refresh token presented as an access token', async () => {
    const tokens = await obtainTokens(stack);
    expect(tokens.refresh_token).to.be.a('string');
    const response = await askViewer(`Bearer ${tokens.refresh_token}`);
    expect(response.status).to.equal(401);
    expect(response.headers.get('www-authenticate')).to.contain(
      'error_description="This is not an access token"',
    );
  });

  it('refuses another scheme with a bare Bearer challenge', async () => {
    const response = await askViewer('Basic dXNlcjpwYXNz');
    expect(response.status).to.equal(401);
    expect(response.headers.get('www-authenticate')).to.equal('Bearer realm="demand"');
  });

  it('refuses an expired token, and the refreshed one works', async () => {
    const tokens = await obtainTokens(stack);
    expect((await askViewer(`Bearer ${tokens.access_token}`)).status).to.equal(200);
    await sleep((ACCESS_TOKEN_SECONDS + 1) * 1000);

    const expired = await askViewer(`Bearer ${tokens.access_token}`);
    expect(expired.status).to.equal(401);
    expect(expired.headers.get('www-authenticate')).to.contain('error="invalid_token"');

    const refreshed = await refreshTokens(stack, tokens.refresh_token ?? '');
    expect((await askViewer(`Bearer ${refreshed.access_token}`)).status).to.equal(200);
  });

  it('stops accepting a revoked token within the configured bound', async () => {
    const tokens = await obtainTokens(stack);
    expect((await askViewer(`Bearer ${tokens.access_token}`)).status).to.equal(200);
    await revokeToken(stack, tokens.access_token);

    const started = Date.now();
    let status = 200;
    while (status === 200 && Date.now() - started < (CACHE_SECONDS + 2) * 1000) {
      status = (await askViewer(`Bearer ${tokens.access_token}`)).status;
      if (status === 200) await sleep(200);
    }
    expect(status).to.equal(401);
    expect(Date.now() - started).to.be.at.most((CACHE_SECONDS + 1) * 1000);
  });

  it('refuses a token whose user was deleted', async () => {
    const client = new MongoClient(stack.mongoUrl);
    try {
      const users = client.db().collection('users');
      const doc = await newMeteorUserDocument({ email: 'leaving@example.com', password: 'bye-bye-1' });
      await users.insertOne(doc as never);
      const tokens = await obtainTokens(stack, { identifier: 'leaving@example.com', password: 'bye-bye-1' });
      await users.deleteOne({ _id: doc._id } as never);

      const response = await askViewer(`Bearer ${tokens.access_token}`);
      expect(response.status).to.equal(401);
      expect(response.headers.get('www-authenticate')).to.contain('no longer exists');
    } finally {
      await client.close();
    }
  });

  it('refuses an oversized query (413), another method (405) and a non-JSON body (415)', async () => {
    const huge = JSON.stringify({ query: `{ viewer { ${'id '.repeat(20_000)}} }` });
    const oversized = await fetch(`${stack.idpUrl}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: huge,
    });
    expect(oversized.status).to.equal(413);
    const viaGet = await fetch(`${stack.idpUrl}/graphql?query=%7Bviewer%7Bid%7D%7D`);
    expect(viaGet.status).to.equal(405);
    const asText = await fetch(`${stack.idpUrl}/graphql`, { method: 'POST', body: 'hello' });
    expect(asText.status).to.equal(415);
    expect(await asText.json()).to.have.property('errors');
  });

  it('marks answers about the user as not cacheable', async () => {
    const tokens = await obtainTokens(stack);
    const response = await askViewer(`Bearer ${tokens.access_token}`);
    expect(response.headers.get('cache-control')).to.equal('no-store');
  });

  it('refuses a request with two Authorization headers with 400 invalid_request', async () => {
    const tokens = await obtainTokens(stack);
    const { status, challenge } = await new Promise<{ status: number; challenge?: string }>(
      (resolve, reject) => {
        const request = http.request(`${stack.idpUrl}/graphql`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
        }, (response) => {
          response.resume();
          resolve({
            status: response.statusCode ?? 0,
            challenge: response.headers['www-authenticate'],
          });
        });
        request.on('error', reject);
        // Node's types allow one value for Authorization; setHeader sends each array item.
        request.setHeader('authorization', [`Bearer ${tokens.access_token}`, 'Bearer someone-else']);
        request.end(VIEWER_QUERY);
      },
    );
    expect(status).to.equal(400);
    expect(challenge).to.contain('error="invalid_request"');
  });

  it('signs the caller out everywhere, revoking their tokens', async () => {
    const tokens = await obtainTokens(stack);
    const anonymous = await fetch(`${stack.idpUrl}/account/sessions/revoke`, { method: 'POST' });
    expect(anonymous.status).to.equal(401);

    const revoke = await fetch(`${stack.idpUrl}/account/sessions/revoke`, {
      method: 'POST',
      headers: { authorization: `Bearer ${tokens.access_token}` },
    });
    expect(revoke.status).to.equal(204);
    await sleep((CACHE_SECONDS + 0.5) * 1000);
    expect((await askViewer(`Bearer ${tokens.access_token}`)).status).to.equal(401);
    await refreshTokens(stack, tokens.refresh_token ?? '').then(
      () => expect.fail('the refresh token still worked'),
      (error: Error) => expect(error.message).to.match(/token endpoint: 4\d\d/),
    );
  });
});

function sleep(ms: number) {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
