import { DDPRateLimiter } from 'meteor/ddp-rate-limiter';
import { Meteor } from 'meteor/meteor';

import type { BearerAuth, CoreRequest, CoreResponse, Provider } from '../lib';
import type { Next } from '../lib/http/types';

export const SIGN_OUT_EVERYWHERE_METHOD = 'hydraOAuth.signOutEverywhere';

let current: Provider | undefined;

/** Set once at start-up, when the provider is built. */
export function useProvider(provider: Provider): void {
  current = provider;
}

function provider(): Provider {
  if (!current) throw new Error('demand:hydra-oauth: token checks are ready after Meteor.startup');
  return current;
}

/**
 * Middleware for the app's own API routes on `WebApp.handlers`: `req.auth.user` is the bearer
 * of a valid access token, absent for an anonymous request; a bad token is answered with 401
 * and `WWW-Authenticate`.
 */
export function hydraOAuthBearer() {
  return (req: CoreRequest, res: CoreResponse, next: Next) => provider().bearer(req, res, next);
}

/**
 * For a GraphQL server's context function: the caller behind an `Authorization` header.
 * Throws a `BearerTokenError` (with `status` and `code`) for a bad token.
 */
export function authenticateBearer(authorization: string | undefined): Promise<BearerAuth> {
  return provider().authenticate(authorization);
}

/**
 * Lets a signed-in user end all their sessions at Hydra (and so, through back-channel logout,
 * at every client). Only ever for `this.userId`: no user id is taken from the client.
 */
export function registerSignOutEverywhereMethod(): void {
  Meteor.methods({
    async [SIGN_OUT_EVERYWHERE_METHOD](this: Meteor.MethodThisType): Promise<void> {
      if (!this.userId) throw new Meteor.Error('not-signed-in', 'Sign in first.');
      await provider().revokeSessions(this.userId);
    },
  });
  DDPRateLimiter.addRule(
    { type: 'method', name: SIGN_OUT_EVERYWHERE_METHOD, connectionId: () => true },
    3,
    60_000,
  );
}
