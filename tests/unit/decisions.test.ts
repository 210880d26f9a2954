import { expect } from 'chai';
import { claimsForScopes } from '../../packages/hydra-oauth/lib/flows/claims';
import {
  grantedScopes,
  isPlausibleChallenge,
  isTrustedClient,
  mayLogoutWithoutAsking,
} from '../../packages/hydra-oauth/lib/flows/decisions';
import type { AccountUser } from '../../packages/hydra-oauth/lib/accounts/port';
import { clientHome } from '../../packages/hydra-oauth/lib/flows/logout';

const user: AccountUser = {
  id: 'u1AbCdEfGhJkLmNoP',
  username: 'ada',
  emails: [
    { address: 'ada@example.com', verified: true },
    { address: 'ada@work.example', verified: false },
  ],
  profile: { name: 'Ada Lovelace', givenName: 'Ada', familyName: 'Lovelace' },
};

describe('consent decisions', () => {
  it('trusts clients listed in settings and clients marked skip_consent, nobody else', () => {
    expect(isTrustedClient({ client_id: 'storefront' }, ['storefront'])).to.equal(true);
    expect(isTrustedClient({ client_id: 'partner', skip_consent: true }, [])).to.equal(true);
    expect(isTrustedClient({ client_id: 'partner' }, ['storefront'])).to.equal(false);
    expect(isTrustedClient(undefined, ['storefront'])).to.equal(false);
    expect(isTrustedClient({}, ['undefined'])).to.equal(false);
  });

  it('grants only ticked scopes that were also requested, in the requested order', () => {
    expect(grantedScopes(['openid', 'email', 'profile'], ['profile', 'openid', 'admin'])).to.deep.equal(
      ['openid', 'profile'],
    );
    expect(grantedScopes(['email'], [])).to.deep.equal([]);
  });

  it('always grants openid when it was requested, ticked or not', () => {
    expect(grantedScopes(['openid', 'email'], [])).to.deep.equal(['openid']);
    expect(grantedScopes(['email'], ['openid'])).to.deep.equal([]);
  });

  it('signs out without asking only for trusted or skip_logout_consent clients', () => {
    expect(mayLogoutWithoutAsking({ client_id: 'storefront' }, ['storefront'])).to.equal(true);
    expect(mayLogoutWithoutAsking({ client_id: 'x', skip_logout_consent: true }, [])).to.equal(true);
    expect(mayLogoutWithoutAsking({ client_id: 'x' }, ['storefront'])).to.equal(false);
    expect(mayLogoutWithoutAsking(undefined, ['storefront'])).to.equal(false);
  });

  it('accepts only non-empty challenge strings of bounded length', () => {
    expect(isPlausibleChallenge('abc')).to.equal(true);
    expect(isPlausibleChallenge('')).to.equal(false);
    expect(isPlausibleChallenge(undefined)).to.equal(false);
    expect(isPlausibleChallenge(['abc'])).to.equal(false);
    expect(isPlausibleChallenge('x'.repeat(8193))).to.equal(false);
  });
});

describe('ID-token claims', () => {
  it('gives no personal claims without the email or profile scope', () => {
    expect(claimsForScopes(user, ['openid', 'offline_access'])).to.deep.equal({});
  });

  it('maps email to the primary address and its verification', () => {
    expect(claimsForScopes(user, ['openid', 'email'])).to.deep.equal({
      email: 'ada@example.com',
      email_verified: true,
    });
  });

  it('maps profile to the name fields and the username', () => {
    expect(claimsForScopes(user, ['profile'])).to.deep.equal({
      name: 'Ada Lovelace',
      given_name: 'Ada',
      family_name: 'Lovelace',
      preferred_username: 'ada',
    });
  });

  it('leaves out claims the user has no data for', () => {
    const bare: AccountUser = { id: 'x', emails: [] };
    expect(claimsForScopes(bare, ['email', 'profile'])).to.deep.equal({});
  });
});

describe('where "stay signed in" returns to', () => {
  const redirects = ['https://partner.example/callback'];

  it("is the client's home when it is on the host of its own redirect URIs", () => {
    const client = { client_uri: 'https://partner.example/', redirect_uris: redirects };
    expect(clientHome(client)).to.equal('https://partner.example/');
  });

  it('is nothing for a home on another host, another scheme, or no home at all', () => {
    expect(clientHome({ client_uri: 'https://elsewhere.example/', redirect_uris: redirects }))
      .to.equal(undefined);
    expect(clientHome({ client_uri: 'javascript:alert(1)', redirect_uris: redirects }))
      .to.equal(undefined);
    expect(clientHome({ redirect_uris: redirects })).to.equal(undefined);
    expect(clientHome(undefined)).to.equal(undefined);
  });
});
