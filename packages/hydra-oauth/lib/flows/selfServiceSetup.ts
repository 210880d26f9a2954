import type { AccountsPort } from '../accounts/port';
import type { RateLimits } from '../limits/rateLimits';
import type { MailPort } from '../mail/port';
import type { HydraOAuthSettings } from '../settings';
import { SettingsError } from '../settings/load';
import { SETTINGS_PATH } from '../settings/schema';
import type { FlowDeps, SelfServiceDeps } from './context';
import { createForgotPasswordHandler } from './forgotPassword';
import { createResetPasswordHandler } from './resetPassword';
import { createSignUpHandler } from './signUp';
import { createVerifyEmailHandler } from './verifyEmail';

export interface SelfServiceOptions {
  settings: HydraOAuthSettings;
  accounts: AccountsPort;
  mail?: MailPort;
  rateLimits?: RateLimits;
  /** The provider's public base URL; `settings.providerUrl` when absent. */
  publicUrl?: string;
  secureCookies: boolean;
}

/**
 * Self-service is on when the host gives a mailer and its accounts adapter can write. It then
 * needs rate limits and a public URL for mailed links; missing either stops start-up, because
 * a link built from the request's Host header could be pointed at an attacker's site.
 */
export function selfServiceDeps(options: SelfServiceOptions): SelfServiceDeps | undefined {
  const { mail, rateLimits, accounts, settings } = options;
  if (!mail || !accounts.selfService) return undefined;
  if (!rateLimits) throw new Error('demand:hydra-oauth: self-service needs rate limits');

  const publicUrl = options.publicUrl ?? settings.providerUrl;
  if (!publicUrl) {
    throw new SettingsError(`${SETTINGS_PATH}.providerUrl`, 'required for mailed links');
  }
  return {
    accounts: accounts.selfService,
    mail,
    rateLimits,
    publicUrl,
    secureCookies: options.secureCookies,
  };
}

/** The self-service routes; none when self-service is off, so their paths answer 404. */
export function selfServiceRoutes(deps: FlowDeps) {
  if (!deps.selfService) return [];
  const { routes } = deps.settings;
  return [
    { path: routes.signUp, handler: createSignUpHandler(deps) },
    { path: routes.forgotPassword, handler: createForgotPasswordHandler(deps) },
    { path: routes.resetPassword, handler: createResetPasswordHandler(deps) },
    { path: routes.verifyEmail, handler: createVerifyEmailHandler(deps) },
  ];
}
