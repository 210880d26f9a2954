import type { AccountsPort } from './accounts/port';
import { createLoginHandler } from './flows/login';
import { createConsentHandler } from './flows/consent';
import { createLogoutHandler } from './flows/logout';
import type { FlowDeps } from './flows/context';
import { selfServiceDeps, selfServiceRoutes } from './flows/selfServiceSetup';
import type { RateLimits } from './limits/rateLimits';
import type { MailPort } from './mail/port';
import { createAdminApi } from './hydra/api';
import { revokeUserSessions } from './hydra/sessions';
import {
  authenticateBearer,
  type BearerAuth,
  createBearerMiddleware,
  createHydraIntrospector,
  withIntrospectionCache,
} from './tokens';
import type { OAuth2Api } from '@ory/hydra-client';
import { createHydraAdmin, type HydraAdmin } from './hydra/admin';
import { createCsrf } from './http/csrf';
import { createFormReader } from './http/form';
import { sendText } from './http/respond';
import type { CoreHandler } from './http/types';
import type { HydraOAuthSettings } from './settings';
import { createUi, type Ui, type UiOverrides } from './ui/render';

export interface ProviderOptions {
  settings: HydraOAuthSettings;
  accounts: AccountsPort;
  ui?: UiOverrides;
  /** Whether the provider is served over https; decides the CSRF cookie's `Secure` flag. */
  secureCookies?: boolean;
  /**
   * The browser bundle that hydrates the screens (see `ui/hydrate.tsx`), served from the assets
   * route. Without it every screen still works, as plain HTML forms.
   */
  clientScript?: string;
  /**
   * The admin API client, when the host already made one (for a method of its own); one client
   * means one pool of kept-alive sockets for the flows, token checks and revocations alike.
   */
  adminApi?: OAuth2Api;
  /** Sends reset and verification mail; with it (and writable accounts) self-service is on. */
  mail?: MailPort;
  /** Counters in a store all instances share; sign-in failures are limited when given. */
  rateLimits?: RateLimits;
  /** Base URL of mailed links when `settings.providerUrl` is not set (Meteor's ROOT_URL). */
  publicUrl?: string;
}

export interface MountedRoute {
  path: string;
  handler: CoreHandler;
}

export interface Provider {
  ui: Ui;
  hydra: HydraAdmin;
  /** Who calls the demand API, from its `Authorization` header; throws a `BearerTokenError`. */
  authenticate(authorization: string | undefined): Promise<BearerAuth>;
  /** Middleware for API routes: sets `req.auth`, or answers 401/403 with `WWW-Authenticate`. */
  bearer: ReturnType<typeof createBearerMiddleware>;
  /** Ends a user's sessions at Hydra and revokes their consents; see `revokeUserSessions`. */
  revokeSessions(subject: string): Promise<void>;
  /** Every route with its path, in the order a host should mount them. */
  routes: MountedRoute[];
}

/** Assembles the login, consent and logout providers; a host only mounts `routes`. */
export function createProvider(options: ProviderOptions): Provider {
  const { settings } = options;
  const adminApi = options.adminApi ?? createAdminApi(settings.hydra);
  const hydra = createHydraAdmin(adminApi);
  const ui = createUi({
    productName: settings.ui.productName,
    stylesheetHref: `${settings.routes.assets}/style.css`,
    scriptHref: options.clientScript ? `${settings.routes.assets}/client.js` : undefined,
    overrides: options.ui,
  });
  const deps: FlowDeps = {
    settings,
    hydra,
    accounts: options.accounts,
    csrf: createCsrf({ secret: settings.csrf.secret, secureCookies: options.secureCookies ?? false }),
    ui,
    readForm: createFormReader(settings.limits.bodyBytes),
    rateLimits: options.rateLimits,
    selfService: selfServiceDeps({ ...options, secureCookies: options.secureCookies ?? false }),
  };

  const assets: MountedRoute[] = [
    { path: `${settings.routes.assets}/style.css`, handler: assetHandler('text/css', ui.stylesheet) },
  ];
  if (options.clientScript) {
    assets.push({
      path: `${settings.routes.assets}/client.js`,
      handler: assetHandler('text/javascript', options.clientScript),
    });
  }

  const bearerOptions = {
    introspector: withIntrospectionCache(createHydraIntrospector(adminApi), {
      maxEntries: settings.tokens.cacheEntries,
      maxSeconds: settings.tokens.cacheSeconds,
    }),
    accounts: options.accounts,
    require: { scopes: settings.tokens.requiredScopes, audience: settings.tokens.audience },
  };

  return {
    ui,
    hydra,
    authenticate: (authorization) => authenticateBearer(authorization, bearerOptions),
    bearer: createBearerMiddleware({ ...bearerOptions, realm: settings.tokens.realm }),
    revokeSessions: (subject) => revokeUserSessions(adminApi, subject),
    routes: [
      { path: settings.routes.login, handler: createLoginHandler(deps) },
      { path: settings.routes.consent, handler: createConsentHandler(deps) },
      { path: settings.routes.logout, handler: createLogoutHandler(deps) },
      ...selfServiceRoutes(deps),
      ...assets,
    ],
  };
}

function assetHandler(contentType: string, body: string): CoreHandler {
  return (_req, res) => {
    res.setHeader('Cache-Control', 'public, max-age=3600');
    res.setHeader('X-Content-Type-Options', 'nosniff');
    sendText(res, 200, `${contentType}; charset=utf-8`, body);
  };
}
