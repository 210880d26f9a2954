import { expect } from 'chai';

import {
  baseEnvironment,
  ferretDbArguments,
  hydraDuration,
  hydraEnvironment,
  sqliteDirectoryUrl,
  sqliteDsn,
  StackConfigError,
  type HydraConfig,
} from '../../scripts/stack/index';

const config: HydraConfig = {
  dsn: 'sqlite:///tmp/h/hydra.sqlite?_fk=true&mode=rwc',
  publicPort: 5444,
  adminPort: 5445,
  issuer: 'http://127.0.0.1:5444',
  loginUrl: 'http://127.0.0.1:3000/account/login',
  consentUrl: 'http://127.0.0.1:3000/account/consent',
  logoutUrl: 'http://127.0.0.1:3000/account/logout',
  systemSecret: 'x'.repeat(64),
};

describe('stack: Hydra durations', () => {
  it('writes whole seconds with the s unit', () => {
    expect(hydraDuration(30)).to.equal('30s');
    expect(hydraDuration(3600)).to.equal('3600s');
  });

  it('writes fractions of a second as milliseconds, since Hydra takes only whole numbers', () => {
    expect(hydraDuration(0.5)).to.equal('500ms');
    expect(hydraDuration(1.1)).to.equal('1100ms');
  });

  it('refuses zero, negative and non-finite lifetimes, naming the option', () => {
    for (const bad of [0, -1, Number.NaN, Number.POSITIVE_INFINITY]) {
      expect(() => hydraDuration(bad, 'ttl.accessToken'))
        .to.throw(StackConfigError, /^ttl\.accessToken: expected a positive number of seconds/);
    }
  });

  it('refuses lifetimes finer than a millisecond', () => {
    expect(() => hydraDuration(0.0005, 'ttl.idToken')).to.throw(StackConfigError, /ttl\.idToken/);
  });
});

describe('stack: Hydra environment', () => {
  it('binds both listeners to 127.0.0.1 and names every flow URL', () => {
    expect(hydraEnvironment(config)).to.deep.equal({
      DSN: config.dsn,
      SERVE_PUBLIC_HOST: '127.0.0.1',
      SERVE_PUBLIC_PORT: '5444',
      SERVE_ADMIN_HOST: '127.0.0.1',
      SERVE_ADMIN_PORT: '5445',
      URLS_SELF_ISSUER: 'http://127.0.0.1:5444',
      URLS_LOGIN: 'http://127.0.0.1:3000/account/login',
      URLS_CONSENT: 'http://127.0.0.1:3000/account/consent',
      URLS_LOGOUT: 'http://127.0.0.1:3000/account/logout',
      SECRETS_SYSTEM: 'x'.repeat(64),
      STRATEGIES_ACCESS_TOKEN: 'opaque',
      OIDC_SUBJECT_IDENTIFIERS_SUPPORTED_TYPES: 'public',
      LOG_LEVEL: 'info',
    });
  });

  it('adds the error and post-logout URLs only when given', () => {
    const env = hydraEnvironment({
      ...config,
      errorUrl: 'http://127.0.0.1:3000/account/error',
      postLogoutRedirectUrl: 'http://127.0.0.1:4000/',
    });
    expect(env.URLS_ERROR).to.equal('http://127.0.0.1:3000/account/error');
    expect(env.URLS_POST_LOGOUT_REDIRECT).to.equal('http://127.0.0.1:4000/');
  });

  it('turns each lifetime into its TTL variable', () => {
    const env = hydraEnvironment({
      ...config,
      ttl: { loginConsentRequest: 600, accessToken: 120, refreshToken: 86400, idToken: 300 },
    });
    expect(env).to.include({
      TTL_LOGIN_CONSENT_REQUEST: '600s',
      TTL_ACCESS_TOKEN: '120s',
      TTL_REFRESH_TOKEN: '86400s',
      TTL_ID_TOKEN: '300s',
    });
  });

  it('sets no TTL variable for a lifetime left out', () => {
    const env = hydraEnvironment({ ...config, ttl: { accessToken: 60 } });
    expect(Object.keys(env).filter((name) => name.startsWith('TTL_'))).to.deep.equal([
      'TTL_ACCESS_TOKEN',
    ]);
  });
});

describe('stack: SQLite locations', () => {
  it('builds a Hydra DSN with foreign keys on and file creation allowed', () => {
    expect(sqliteDsn('/tmp/data/hydra.sqlite')).to.equal(
      'sqlite:///tmp/data/hydra.sqlite?_fk=true&mode=rwc',
    );
  });

  it('refuses relative paths and paths that would cut the DSN short', () => {
    expect(() => sqliteDsn('data/hydra.sqlite')).to.throw(StackConfigError, /absolute/);
    expect(() => sqliteDsn('/tmp/a?b/hydra.sqlite')).to.throw(StackConfigError, /"\?" or "#"/);
  });

  it('gives FerretDB a file URL of the directory with a trailing slash, escaping spaces', () => {
    expect(sqliteDirectoryUrl('/tmp/ferret db')).to.equal('file:///tmp/ferret%20db/');
    expect(sqliteDirectoryUrl('/tmp/ferret/')).to.equal('file:///tmp/ferret/');
  });
});

describe('stack: FerretDB command line', () => {
  it('listens on loopback only, with no debug listener and no telemetry', () => {
    expect(ferretDbArguments({ port: 27999, sqliteDir: '/d/sqlite', stateDir: '/d' })).to.deep.equal(
      [
        '--handler=sqlite',
        '--sqlite-url=file:///d/sqlite/',
        '--listen-addr=127.0.0.1:27999',
        '--debug-addr=-',
        '--state-dir=/d',
        '--telemetry=disable',
        '--log-level=info',
      ],
    );
  });
});

describe('stack: child environment', () => {
  it('passes PATH and HOME through but no setting the components would read', () => {
    const env = baseEnvironment({
      PATH: '/usr/bin',
      HOME: '/root',
      DSN: 'postgres://prod',
      LOG_LEVEL: 'trace',
      FERRETDB_HANDLER: 'postgresql',
    });
    expect(env).to.deep.equal({ PATH: '/usr/bin', HOME: '/root' });
  });
});
