import SimpleSchema from 'simpl-schema';

/** Where the package's options sit in a Meteor `settings.json`. */
export const SETTINGS_KEY = 'demand:hydra-oauth';
export const SETTINGS_PATH = `packages.${SETTINGS_KEY}`;

const THIRTY_DAYS = 30 * 24 * 60 * 60;

const httpUrl = { type: String, regEx: /^https?:\/\/[^\s/?#]+(\/[^\s?#]*)?$/ };
const routePath = { type: String, regEx: /^\/[A-Za-z0-9/_-]*$/ };
const seconds = (defaultValue: number, min = 0) =>
  ({ type: SimpleSchema.Integer, min, defaultValue }) as const;

/** One rate limit: at most `points` attempts per key within `seconds`. */
function rateLimit(name: string, points: number, windowSeconds: number) {
  return {
    [`rateLimits.${name}`]: { type: Object, defaultValue: {} },
    [`rateLimits.${name}.points`]: { type: SimpleSchema.Integer, min: 1, defaultValue: points },
    [`rateLimits.${name}.seconds`]: seconds(windowSeconds, 1),
  };
}

/**
 * The one declaration of the package's options. Durations are whole seconds, never strings:
 * a value like "1h" is rejected instead of being guessed at.
 */
export const settingsSchema = new SimpleSchema({
  hydra: { type: Object },
  /** Hydra's admin API. Never expose it publicly: it accepts any challenge it is handed. */
  'hydra.adminUrl': httpUrl,
  /** Hydra's public URL (the issuer); used to send a user back to start a flow again. */
  'hydra.publicUrl': { ...httpUrl, optional: true },
  'hydra.requestTimeout': seconds(10, 1),

  routes: { type: Object, defaultValue: {} },
  'routes.login': { ...routePath, defaultValue: '/account/login' },
  'routes.consent': { ...routePath, defaultValue: '/account/consent' },
  'routes.logout': { ...routePath, defaultValue: '/account/logout' },
  'routes.assets': { ...routePath, defaultValue: '/account/assets' },
  'routes.signUp': { ...routePath, defaultValue: '/account/signup' },
  'routes.forgotPassword': { ...routePath, defaultValue: '/account/forgot-password' },
  'routes.resetPassword': { ...routePath, defaultValue: '/account/reset-password' },
  'routes.verifyEmail': { ...routePath, defaultValue: '/account/verify-email' },

  session: { type: Object, defaultValue: {} },
  /** How long "remember me" keeps a user signed in at Hydra. */
  'session.rememberFor': seconds(THIRTY_DAYS),
  /** How long a remembered consent is reused for the same client and scopes. */
  'session.consentRememberFor': seconds(THIRTY_DAYS),

  /** Client ids whose consent is granted without asking: the shop's own apps. */
  trustedClients: { type: Array, defaultValue: [] },
  'trustedClients.$': { type: String, min: 1 },

  csrf: { type: Object },
  /** Signs CSRF tokens; every instance behind one load balancer needs the same value. */
  'csrf.secret': { type: String, min: 32 },

  /** Where a user lands when a flow cannot continue and no client URL is known. */
  storefrontUrl: { ...httpUrl, optional: true },
  /**
   * Where browsers reach this identity provider from outside (e.g. https://id.shop.example).
   * Only the doctor reads it: to check that Hydra's login URL points here and that the admin
   * API is not reachable beside it.
   */
  providerUrl: { ...httpUrl, optional: true },

  limits: { type: Object, defaultValue: {} },
  /** Largest form body accepted, in bytes. */
  'limits.bodyBytes': { type: SimpleSchema.Integer, min: 1024, defaultValue: 16 * 1024 },

  tokens: { type: Object, defaultValue: {} },
  /**
   * How long a token check is reused before Hydra is asked again; also the longest a revoked
   * token keeps working on the API. 0 asks Hydra on every request.
   */
  'tokens.cacheSeconds': seconds(30),
  'tokens.cacheEntries': { type: SimpleSchema.Integer, min: 1, defaultValue: 10_000 },
  'tokens.realm': { type: String, min: 1, defaultValue: 'demand' },
  /** Scopes every API token must carry. */
  'tokens.requiredScopes': { type: Array, defaultValue: [] },
  'tokens.requiredScopes.$': { type: String, min: 1 },
  /** When set, a token's audience must include this value. */
  'tokens.audience': { type: String, min: 1, optional: true },

  ui: { type: Object, defaultValue: {} },
  'ui.productName': { type: String, defaultValue: 'Demand' },

  /** Self-service: sign-up, password reset and e-mail verification (when a mailer is given). */
  accounts: { type: Object, defaultValue: {} },
  /** Whether shoppers may create accounts from the sign-in screen. */
  'accounts.signUp': { type: Boolean, defaultValue: true },
  'accounts.minPasswordLength': { type: SimpleSchema.Integer, min: 1, max: 256, defaultValue: 8 },
  /** How long a mailed reset link works. */
  'accounts.resetTokenSeconds': seconds(60 * 60, 60),
  /** How long a mailed verification link works. */
  'accounts.verifyTokenSeconds': seconds(3 * 24 * 60 * 60, 60),
  /** Whether a new account is sent a link to verify its address. */
  'accounts.sendVerificationEmail': { type: Boolean, defaultValue: true },
  /**
   * How long, after a password reset, the next sign-in of the same browser is accepted without
   * the password (the signed return cookie; see README).
   */
  'accounts.returnGrantSeconds': seconds(120, 10),

  mail: { type: Object, defaultValue: {} },
  /** The sender of reset and verification mail. */
  'mail.from': { type: String, min: 3, defaultValue: 'Demand <no-reply@localhost>' },

  /** Attempts counted per key in a store every instance shares (the app's MongoDB). */
  rateLimits: { type: Object, defaultValue: {} },
  ...rateLimit('loginFailures', 10, 15 * 60),
  ...rateLimit('signUp', 10, 60 * 60),
  ...rateLimit('forgotPassword', 5, 60 * 60),
  ...rateLimit('forgotPasswordPerIp', 30, 60 * 60),
});

/** The package's options after defaults are applied and every value is checked. */
export interface HydraOAuthSettings {
  hydra: { adminUrl: string; publicUrl?: string; requestTimeout: number };
  routes: {
    login: string;
    consent: string;
    logout: string;
    assets: string;
    signUp: string;
    forgotPassword: string;
    resetPassword: string;
    verifyEmail: string;
  };
  session: { rememberFor: number; consentRememberFor: number };
  trustedClients: string[];
  csrf: { secret: string };
  storefrontUrl?: string;
  providerUrl?: string;
  limits: { bodyBytes: number };
  tokens: {
    cacheSeconds: number;
    cacheEntries: number;
    realm: string;
    requiredScopes: string[];
    audience?: string;
  };
  ui: { productName: string };
  accounts: {
    signUp: boolean;
    minPasswordLength: number;
    resetTokenSeconds: number;
    verifyTokenSeconds: number;
    sendVerificationEmail: boolean;
    returnGrantSeconds: number;
  };
  mail: { from: string };
  rateLimits: Record<RateLimitName, { points: number; seconds: number }>;
}

export type RateLimitName = 'loginFailures' | 'signUp' | 'forgotPassword' | 'forgotPasswordPerIp';
