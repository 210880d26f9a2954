/**
 * Specs for `meteor test-packages ./packages/hydra-oauth --driver-package meteortesting:mocha`,
 * run inside a real Meteor server with the settings of `settings.example.json`. They cover what
 * only a real Meteor can show; the Node suite under tests/ covers the rest through a harness.
 */
import { expect } from 'chai';
import { Accounts } from 'meteor/accounts-base';
import { Meteor } from 'meteor/meteor';

import { ACCEPT_LOGIN_METHOD, createMeteorAccountsPort } from '../server/main';

const PASSWORD = 'package-test password 1';

describe('demand:hydra-oauth on a Meteor server', function () {
  let userId: string;

  before(async () => {
    userId = await Accounts.createUserAsync({
      username: `pkg-${Date.now()}`,
      email: `pkg-${Date.now()}@example.com`,
      password: PASSWORD,
    });
  });

  it('accepts the password accounts-password stored, by username or e-mail', async () => {
    const port = createMeteorAccountsPort(Accounts, Meteor.users);
    const user = await Meteor.users.findOneAsync({ _id: userId });

    const byName = await port.verifyPassword(user!.username!, PASSWORD);
    const byEmail = await port.verifyPassword(user!.emails![0]!.address.toUpperCase(), PASSWORD);
    expect(byName?.id).to.equal(userId);
    expect(byEmail?.id).to.equal(userId);
  });

  it('answers null for a wrong password and for an unknown user alike', async () => {
    const port = createMeteorAccountsPort(Accounts, Meteor.users);
    const user = await Meteor.users.findOneAsync({ _id: userId });

    expect(await port.verifyPassword(user!.username!, 'wrong')).to.equal(null);
    expect(await port.verifyPassword('nobody-here', PASSWORD)).to.equal(null);
  });

  it('refuses the accept-login method to a caller who is not signed in', async () => {
    let code: unknown;
    try {
      await Meteor.callAsync(ACCEPT_LOGIN_METHOD, 'some-challenge', false);
    } catch (error) {
      code = (error as { error?: unknown }).error;
    }
    expect(code).to.equal('not-signed-in');
  });

  it('checks the method arguments before anything else', async () => {
    let code: unknown;
    try {
      await Meteor.callAsync(ACCEPT_LOGIN_METHOD, { $ne: null }, false);
    } catch (error) {
      code = (error as { error?: unknown }).error;
    }
    expect(code).to.equal(400);
  });

  it('serves the login route from WebApp and answers a missing challenge with 400', async () => {
    const settings = Meteor.settings.packages as Record<string, { routes?: { login?: string } }>;
    const login = settings['demand:hydra-oauth']?.routes?.login ?? '/account/login';
    const response = await fetch(Meteor.absoluteUrl(login.slice(1)));
    expect(response.status).to.equal(400);
  });
});
