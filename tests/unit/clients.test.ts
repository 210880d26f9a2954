import { expect } from 'chai';

import {
  ClientFileError,
  nextPageToken,
  parseClientFile,
  planClients,
  registration,
  SECRET_DIGEST_KEY,
  secretDigest,
  secretMatches,
} from '../../packages/hydra-oauth/lib/clients';
import { isPrivateHost } from '../../packages/hydra-oauth/lib/doctor';

const web = {
  client_id: 'web',
  client_secret: '${WEB_SECRET}',
  redirect_uris: ['https://shop.example/callback'],
  scope: 'openid email',
};

function parse(value: unknown, env: Record<string, string> = { WEB_SECRET: 's3cret-value' }) {
  return parseClientFile(JSON.stringify(value), 'clients.json', env);
}

function problemOf(action: () => unknown): string {
  try {
    action();
  } catch (error) {
    if (error instanceof ClientFileError) return `${error.path}: ${error.problem}`;
    throw error;
  }
  throw new Error('expected a ClientFileError');
}

describe('client file', () => {
  it('reads a secret from the environment variable it references', () => {
    expect(parse([web])[0]?.client_secret).to.equal('s3cret-value');
  });

  it('accepts { clients: [...] } and YAML', () => {
    expect(parse({ clients: [web] })).to.have.length(1);
    const yaml = 'clients:\n  - client_id: app\n    token_endpoint_auth_method: none\n';
    expect(parseClientFile(yaml, 'clients.yaml', {})[0]?.client_id).to.equal('app');
  });

  it('names an unset secret variable, a typo and a duplicate id', () => {
    expect(problemOf(() => parse([web], {}))).to.equal(
      '[0].client_secret: environment variable WEB_SECRET is not set',
    );
    expect(problemOf(() => parse([{ ...web, redirect_uri: ['x'] }]))).to.equal(
      '[0].redirect_uri: not a Hydra client field (a typo?)',
    );
    expect(problemOf(() => parse([web, web]))).to.equal('[1].client_id: web is declared twice');
  });

  it('requires a secret exactly when the auth method uses one', () => {
    expect(problemOf(() => parse([{ client_id: 'a' }]))).to.equal(
      '[0].client_secret: required with token_endpoint_auth_method client_secret_basic',
    );
    expect(problemOf(() => parse([{ ...web, token_endpoint_auth_method: 'none' }]))).to.equal(
      '[0].client_secret: not used with token_endpoint_auth_method none; remove it',
    );
  });

  it('refuses a redirect URI that is not absolute', () => {
    expect(problemOf(() => parse([{ ...web, redirect_uris: ['/callback'] }]))).to.equal(
      '[0].redirect_uris[0]: not an absolute URL: /callback',
    );
  });
});

describe('client plan', () => {
  const [declared] = parse([web]);
  const registeredAs = (extra: Record<string, unknown> = {}) => ({
    ...registration(declared!),
    client_secret: undefined,
    grant_types: null,
    audience: [],
    scope: 'email openid',
    ...extra,
  });

  it('creates what Hydra lacks and leaves an equal client alone, whatever the order', () => {
    expect(planClients([declared!], [], { prune: false }).changes[0]?.kind).to.equal('create');
    const same = planClients([declared!], [registeredAs() as never], { prune: false });
    expect(same.changes).to.have.length(1);
    expect(same.changes[0]?.kind).to.equal('unchanged');
  });

  it('reports a changed secret without its value', () => {
    const metadata = { [SECRET_DIGEST_KEY]: secretDigest('old') };
    const plan = planClients([declared!], [registeredAs({ metadata }) as never], { prune: false });
    expect(plan.changes[0]?.fields).to.deep.equal([{ field: 'client_secret', secret: true }]);
  });

  it('deletes undeclared clients only when pruning', () => {
    const other = { client_id: 'other' };
    expect(planClients([], [other], { prune: false }).changes).to.deep.equal([]);
    expect(planClients([], [other], { prune: true }).changes).to.deep.equal([
      { kind: 'delete', clientId: 'other', fields: [] },
    ]);
  });

  it('matches a secret only against its own digest', () => {
    const digest = secretDigest('right');
    expect(secretMatches('right', digest)).to.equal(true);
    expect(secretMatches('wrong', digest)).to.equal(false);
    expect(secretMatches('right', 'sha256$x$y')).to.equal(false);
    expect(secretMatches('right', undefined)).to.equal(false);
  });

  it('follows the next page token in Hydra\'s Link header', () => {
    const link = '</admin/clients?page_size=2&page_token=abc>; rel="next", ' +
      '</admin/clients?page_size=2&page_token=first>; rel="first"';
    expect(nextPageToken(link)).to.equal('abc');
    expect(nextPageToken('</admin/clients?page_token=x>; rel="first"')).to.equal(undefined);
  });
});

describe('private admin hosts', () => {
  it('tells loopback and private addresses from public ones', () => {
    const privateHosts = ['127.0.0.1', 'localhost', '10.1.2.3', '192.168.0.4', '172.20.0.1'];
    privateHosts.push('hydra');
    for (const host of privateHosts) {
      expect(isPrivateHost(host), host).to.equal(true);
    }
    for (const host of ['203.0.113.9', 'auth.shop.example', '172.32.0.1']) {
      expect(isPrivateHost(host), host).to.equal(false);
    }
  });
});
