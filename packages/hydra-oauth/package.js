/* global Package, Npm */
// The Meteor package manifest. The core in lib/ is plain TypeScript on npm libraries; the glue
// in server/ and client/ is the only code that imports meteor/*.

Package.describe({
  name: 'demand:hydra-oauth',
  version: '0.1.0',
  summary: 'Login, consent and logout provider for ORY Hydra on Meteor Accounts',
  documentation: '../../README.md',
});

// The same versions as the repository's package.json, so Node tests exercise what Meteor loads.
Npm.depends({
  '@ory/hydra-client': '2.2.0',
  argon2: '0.45.1',
  axios: '1.21.1',
  bcrypt: '6.0.0',
  'body-parser': '2.4.0',
  cookie: '1.1.1',
  'csrf-csrf': '4.0.3',
  'rate-limiter-flexible': '11.4.0',
  debug: '4.4.3',
  'lru-cache': '11.5.4',
  react: '19.3.1',
  'react-dom': '19.3.1',
  'simpl-schema': '3.4.7',
  // For the package's own specs only.
  chai: '5.3.3',
});

Package.onUse((api) => {
  api.versionsFrom(['3.0', '3.1', '3.3']);
  api.use(['typescript', 'ecmascript']);
  api.use(
    ['webapp', 'accounts-base', 'accounts-password', 'check', 'ddp-rate-limiter', 'email', 'mongo'],
    'server',
  );
  api.mainModule('server/main.ts', 'server');
  api.mainModule('client/main.ts', 'client');
});

Package.onTest((api) => {
  api.use(['typescript', 'ecmascript', 'meteortesting:mocha', 'demand:hydra-oauth']);
  api.use(['accounts-base', 'accounts-password', 'check'], 'server');
  api.mainModule('tests/server.tests.ts', 'server');
});
