/**
 * The demo demand app's server. Adding `demand:hydra-oauth` to .meteor/packages is what mounts
 * the login, consent and logout providers; this file only seeds the demo shopper, stored by
 * Meteor Accounts itself, so the storefront has someone to sign in.
 */
import { Accounts } from 'meteor/accounts-base';
import { Meteor } from 'meteor/meteor';

const DEMO_SHOPPER = {
  username: 'shopper',
  email: 'shopper@example.com',
  password: 'correct horse battery staple',
  profile: { name: 'Demo Shopper' },
};

async function seedDemoShopper(): Promise<void> {
  if (await Accounts.findUserByEmail(DEMO_SHOPPER.email)) return;
  await Accounts.createUserAsync(DEMO_SHOPPER);
}

Meteor.startup(seedDemoShopper);
