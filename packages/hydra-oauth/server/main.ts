/**
 * The package's server entry. Loading it checks the settings (a bad value stops the server
 * before it listens) and registers the method; the routes are mounted at start-up, after the
 * host app had its chance to call `configureHydraOAuth`.
 */
import { Accounts } from 'meteor/accounts-base';
import { Meteor } from 'meteor/meteor';

import { createProvider, type UiOverrides } from '../lib';
import { createHydraAdmin } from '../lib/hydra/admin';
import { createAdminApi } from '../lib/hydra/api';
import { createMeteorAccountsPort } from './accounts';
import { registerSignOutEverywhereMethod, useProvider } from './api';
import { createMeteorMail } from './mail';
import { registerAcceptLoginMethod } from './method';
import { createMeteorRateLimits } from './rateLimits';
import { mountRoutes, webAppHandlers } from './mount';
import { readPackageSettings } from './settings';

export { ACCEPT_LOGIN_METHOD, ACCEPT_LOGIN_RATE, type AcceptLoginResult } from './method';
export { createMeteorAccountsPort } from './accounts';
export { authenticateBearer, hydraOAuthBearer, SIGN_OUT_EVERYWHERE_METHOD } from './api';

export interface HydraOAuthOptions {
  /** The same overrides the client bundle is given, so hydration matches the server render. */
  ui?: UiOverrides;
  /** Set when the app is served over https (it should be): marks the CSRF cookie `Secure`. */
  secureCookies?: boolean;
  /**
   * A browser bundle that calls `hydrateScreen(ui)`, served with the screens.
   * TODO(meteor-bundle): the screens are whole pages of our own, so Meteor's client bundle (and
   * with it this package's client glue) is not loaded on them; until they are rendered into
   * Meteor's boilerplate, an app that wants hydration passes a bundle it built itself (esbuild
   * of a file that imports its overrides, as the standalone host does). Without one the
   * screens work as plain forms.
   */
  clientScript?: string;
}

const settings = readPackageSettings();
const adminApi = createAdminApi(settings.hydra);
const hydra = createHydraAdmin(adminApi);
let options: HydraOAuthOptions = {};
let mounted = false;

/** Call from the app's server code before start-up; later calls would come too late. */
export function configureHydraOAuth(next: HydraOAuthOptions): void {
  if (mounted) throw new Error('demand:hydra-oauth: configure before Meteor.startup runs');
  options = next;
}

registerAcceptLoginMethod(hydra, settings);
registerSignOutEverywhereMethod();

Meteor.startup(async () => {
  const accounts = createMeteorAccountsPort(Accounts, Meteor.users);
  const selfService = {
    mail: createMeteorMail(settings.mail.from),
    rateLimits: await createMeteorRateLimits(settings),
    publicUrl: Meteor.absoluteUrl(),
  };
  const provider = createProvider({ settings, accounts, adminApi, ...selfService, ...options });
  useProvider(provider);
  mountRoutes(webAppHandlers(), provider.routes);
  mounted = true;
});
