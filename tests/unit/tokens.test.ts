import { expect } from 'chai';
import {
  authenticateBearer,
  bearerChallenge,
  cacheLifetimeMs,
  InsufficientScopeError,
  InvalidTokenError,
  readBearerToken,
  withIntrospectionCache,
  type TokenInfo,
} from '../../packages/hydra-oauth/lib/tokens';
import type { AccountsPort } from '../../packages/hydra-oauth/lib/accounts/port';

const NOW = 1_800_000_000_000;
const live: TokenInfo = {
  active: true,
  subject: 'user-1',
  clientId: 'storefront',
  scopes: ['openid', 'email'],
  audience: ['demand-api'],
  expiresAt: NOW / 1000 + 60,
  use: 'access_token',
};
const accounts: AccountsPort = {
  verifyPassword: async () => null,
  findById: async (id) => (id === 'user-1' ? { id, emails: [] } : null),
};

describe('token cache lifetime', () => {
  it('keeps an active answer no longer than the bound', () => {
    expect(cacheLifetimeMs(live, 30, NOW)).to.equal(30_000);
  });

  it('keeps an active answer no longer than the token lives', () => {
    expect(cacheLifetimeMs({ ...live, expiresAt: NOW / 1000 + 5 }, 30, NOW)).to.equal(5_000);
    expect(cacheLifetimeMs({ ...live, expiresAt: NOW / 1000 - 5 }, 30, NOW)).to.equal(0);
    expect(cacheLifetimeMs({ ...live, expiresAt: undefined }, 30, NOW)).to.equal(0);
  });

  it('keeps a refusal for the whole bound', () => {
    expect(cacheLifetimeMs({ active: false, scopes: [], audience: [] }, 30, NOW)).to.equal(30_000);
  });

  it('asks once per bound and again after it', async () => {
    let clock = NOW;
    let calls = 0;
    const cached = withIntrospectionCache(
      { introspect: async () => ((calls += 1), live) },
      { maxEntries: 10, maxSeconds: 2, now: () => clock },
    );
    await cached.introspect('a');
    await cached.introspect('a');
    expect(calls).to.equal(1);
    clock += 2_001;
    await cached.introspect('a');
    expect(calls).to.equal(2);
  });

  it('never holds more entries than allowed', async () => {
    const cached = withIntrospectionCache(
      { introspect: async () => live },
      { maxEntries: 3, maxSeconds: 60, now: () => NOW },
    );
    for (const token of ['a', 'b', 'c', 'd', 'e']) await cached.introspect(token);
    expect(cached.size()).to.equal(3);
  });
});

describe('reading and checking bearer tokens', () => {
  const introspector = (info: TokenInfo) => ({ introspect: async () => info });

  it('takes the token after "Bearer", in any case of the scheme', () => {
    expect(readBearerToken('Bearer abc.DEF-_~+/=')).to.equal('abc.DEF-_~+/=');
    expect(readBearerToken('bearer xyz')).to.equal('xyz');
    expect(() => readBearerToken('Bearer two words')).to.throw(InvalidTokenError);
    expect(() => readBearerToken('Bearer')).to.throw(InvalidTokenError);
  });

  it('finds the user of a live access token', async () => {
    const auth = await authenticateBearer('Bearer t', { introspector: introspector(live), accounts });
    expect(auth.user?.id).to.equal('user-1');
  });

  it('refuses a token missing a required scope with insufficient_scope', async () => {
    const failure = await authenticateBearer('Bearer t', {
      introspector: introspector(live),
      accounts,
      require: { scopes: ['orders:write'] },
    }).catch((error: unknown) => error);
    expect(failure).to.be.instanceOf(InsufficientScopeError);
    expect((failure as InsufficientScopeError).status).to.equal(403);
  });

  it('refuses a token for another audience or client', async () => {
    for (const require of [{ audience: 'other-api' }, { clientIds: ['pos'] }]) {
      const failure = await authenticateBearer('Bearer t', {
        introspector: introspector(live),
        accounts,
        require,
      }).catch((error: unknown) => error);
      expect(failure).to.be.instanceOf(InvalidTokenError);
    }
  });

  it('formats RFC 6750 challenges', () => {
    expect(bearerChallenge('demand', new InvalidTokenError('expired "now"'))).to.equal(
      'Bearer realm="demand", error="invalid_token", error_description="expired now"',
    );
    expect(bearerChallenge('demand', new InsufficientScopeError(['a', 'b']))).to.equal(
      'Bearer realm="demand", error="insufficient_scope", ' +
        'error_description="The token lacks the scope a b", scope="a b"',
    );
  });
});
