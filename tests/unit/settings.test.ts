import { expect } from 'chai';
import { loadSettings, packageBlock, SettingsError } from '../../packages/hydra-oauth/lib/settings';

const SECRET = 'a'.repeat(32);
const minimal = () => ({ hydra: { adminUrl: 'http://127.0.0.1:4445' }, csrf: { secret: SECRET } });

function problemOf(block: unknown, env: Record<string, string> = {}): SettingsError {
  try {
    loadSettings(block, env);
  } catch (error) {
    if (error instanceof SettingsError) return error;
    throw error;
  }
  throw new Error('expected a SettingsError');
}

describe('settings', () => {
  it('fills in documented defaults around the two required values', () => {
    const settings = loadSettings(minimal());
    expect(settings.routes).to.deep.equal({
      login: '/account/login',
      consent: '/account/consent',
      logout: '/account/logout',
      assets: '/account/assets',
      signUp: '/account/signup',
      forgotPassword: '/account/forgot-password',
      resetPassword: '/account/reset-password',
      verifyEmail: '/account/verify-email',
    });
    expect(settings.session.rememberFor).to.equal(2_592_000);
    expect(settings.accounts.resetTokenSeconds).to.equal(3600);
    expect(settings.rateLimits.loginFailures).to.deep.equal({ points: 10, seconds: 900 });
    expect(settings.mail.from).to.equal('Demand <no-reply@localhost>');
    expect(settings.hydra.requestTimeout).to.equal(10);
    expect(settings.trustedClients).to.deep.equal([]);
  });

  it('rejects a duration given as a string, naming its full path', () => {
    const block = { ...minimal(), session: { rememberFor: '3600' } };
    const error = problemOf(block);
    expect(error.path).to.equal('packages.demand:hydra-oauth.session.rememberFor');
    expect(error.message).to.contain('"3600"');
  });

  it('rejects a missing admin URL, naming hydra.adminUrl', () => {
    const error = problemOf({ csrf: { secret: SECRET }, hydra: {} });
    expect(error.path).to.equal('packages.demand:hydra-oauth.hydra.adminUrl');
    expect(error.message).to.match(/required/i);
  });

  it('rejects a mistyped option instead of ignoring it', () => {
    const error = problemOf({ ...minimal(), trustedClient: ['storefront'] });
    expect(error.path).to.equal('packages.demand:hydra-oauth.trustedClient');
  });

  it('rejects a CSRF secret shorter than 32 characters', () => {
    const error = problemOf({ ...minimal(), csrf: { secret: 'short' } });
    expect(error.path).to.equal('packages.demand:hydra-oauth.csrf.secret');
  });

  it('rejects an admin URL that is not http(s)', () => {
    const error = problemOf({ ...minimal(), hydra: { adminUrl: 'ftp://hydra:4445' } });
    expect(error.path).to.equal('packages.demand:hydra-oauth.hydra.adminUrl');
  });

  it('lets environment variables replace single values', () => {
    const settings = loadSettings(minimal(), {
      HYDRA_ADMIN_URL: 'http://hydra.internal:4445',
      HYDRA_OAUTH_TRUSTED_CLIENTS: 'storefront, pos',
    });
    expect(settings.hydra.adminUrl).to.equal('http://hydra.internal:4445');
    expect(settings.trustedClients).to.deep.equal(['storefront', 'pos']);
  });

  it('finds the block under packages["demand:hydra-oauth"] of a Meteor settings object', () => {
    const block = minimal();
    expect(packageBlock({ public: {}, packages: { 'demand:hydra-oauth': block } })).to.equal(block);
    expect(packageBlock({ public: {} })).to.deep.equal({});
  });

  it('does not change the object it was given', () => {
    const block = minimal();
    loadSettings(block);
    expect(block).to.deep.equal(minimal());
  });
});
