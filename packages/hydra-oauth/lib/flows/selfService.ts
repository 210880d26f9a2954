/** What the self-service steps share: whether a feature is on, and the URLs between screens. */
import { SelfServiceDisabledError } from './errors';
import type { FlowContext, SelfServiceDeps } from './context';

/** The login route with `show=sign-in`, so a sign-up hint does not send the shopper back. */
export const SHOW_SIGN_IN = 'sign-in';

export function requireSelfService(context: FlowContext, feature: string): SelfServiceDeps {
  const selfService = context.deps.selfService;
  if (!selfService) throw new SelfServiceDisabledError(feature);
  if (feature === 'sign-up' && !context.deps.settings.accounts.signUp) {
    throw new SelfServiceDisabledError(feature);
  }
  return selfService;
}

/** A route of this provider for one login challenge; relative, as the forms' actions are. */
export function routeFor(route: string, challenge?: string, extra: Record<string, string> = {}) {
  const params = new URLSearchParams();
  if (challenge) params.set('login_challenge', challenge);
  for (const [name, value] of Object.entries(extra)) params.set(name, value);
  const query = params.toString();
  return query ? `${route}?${query}` : route;
}

export function signInUrl(context: FlowContext, challenge: string): string {
  return routeFor(context.deps.settings.routes.login, challenge, { show: SHOW_SIGN_IN });
}

/** Where the sign-in starts over: the storefront's sign-in route, when the storefront is known. */
export function storefrontSignIn(context: FlowContext): string | undefined {
  const base = context.deps.settings.storefrontUrl;
  return base ? new URL('login', base.endsWith('/') ? base : `${base}/`).toString() : undefined;
}
