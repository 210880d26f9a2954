import { check, Match } from 'meteor/check';
import { DDPRateLimiter } from 'meteor/ddp-rate-limiter';
import { Meteor } from 'meteor/meteor';

import { ChallengeHandledError, FlowError, type HydraOAuthSettings } from '../lib';
import type { HydraAdmin } from '../lib/hydra/admin';
import { log, redact } from '../lib/log';

export const ACCEPT_LOGIN_METHOD = 'hydraOAuth.acceptLogin';

/** Calls per connection per window: enough for a person, too few to sweep challenges. */
export const ACCEPT_LOGIN_RATE = { calls: 5, windowMs: 10_000 } as const;

/** Hydra's challenges are opaque tokens; anything this long is not one. */
const MAX_CHALLENGE_LENGTH = 2048;

const Challenge = Match.Where(
  (value: unknown): value is string =>
    typeof value === 'string' && value.length > 0 && value.length <= MAX_CHALLENGE_LENGTH,
);

export interface AcceptLoginResult {
  /** Hydra's next step; the client sends the browser there. */
  redirectTo: string;
}

/**
 * For host apps that sign users in on their own page with `Meteor.loginWithPassword`: accepts
 * Hydra's login challenge for the caller. The subject is always `this.userId`, never an
 * argument, so a caller can only ever sign in as themselves.
 */
export function registerAcceptLoginMethod(hydra: HydraAdmin, settings: HydraOAuthSettings) {
  async function acceptLogin(
    this: Meteor.MethodThisType,
    challenge: unknown,
    remember: unknown,
  ): Promise<AcceptLoginResult> {
    check(challenge, Challenge);
    check(remember, Match.Maybe(Boolean));
    const subject = requireSignedIn(this.userId);

    try {
      await refuseOtherRememberedSubject(hydra, challenge, subject);
      const redirectTo = await hydra.acceptLogin(challenge, subject, {
        remember: remember === true,
        rememberFor: settings.session.rememberFor,
      });
      log.login('accepted by method challenge=%s', redact(challenge));
      return { redirectTo };
    } catch (error) {
      return answerFlowError(error);
    }
  }

  Meteor.methods({ [ACCEPT_LOGIN_METHOD]: acceptLogin });
  DDPRateLimiter.addRule(
    { type: 'method', name: ACCEPT_LOGIN_METHOD, connectionId: () => true },
    ACCEPT_LOGIN_RATE.calls,
    ACCEPT_LOGIN_RATE.windowMs,
  );
}

function requireSignedIn(userId: string | null): string {
  if (!userId) throw new Meteor.Error('not-signed-in', 'Sign in before accepting a login.');
  return userId;
}

/**
 * Hydra remembers who last signed in on this browser (`skip`); accepting as someone else
 * would fail at Hydra anyway, so say why instead of passing on a protocol error.
 */
async function refuseOtherRememberedSubject(
  hydra: HydraAdmin,
  challenge: string,
  subject: string,
): Promise<void> {
  const request = await hydra.getLoginRequest(challenge);
  if (request.skip && request.subject !== subject) {
    throw new Meteor.Error('subject-mismatch', 'This browser is signed in as another user.');
  }
}

/**
 * Only `Meteor.Error` reaches the client; a flow error keeps its stable message key so the
 * client can tell an expired challenge from an outage. An already handled challenge is no
 * failure: the flow goes on at Hydra's `redirect_to`.
 */
function answerFlowError(error: unknown): AcceptLoginResult {
  if (error instanceof ChallengeHandledError) return { redirectTo: error.redirectTo };
  if (error instanceof Meteor.Error) throw error;
  if (error instanceof FlowError) throw new Meteor.Error(error.messageKey, error.message);
  throw error;
}
