import type { OAuth2LoginRequest } from '../hydra/admin';
import { log, redact } from '../log';
import { type FormFields, singleField } from '../http/form';
import type { CoreHandler } from '../http/types';
import type { ClientView } from '../ui/components';
import { clientAddress } from './accountInput';
import {
  challengeFromQuery,
  type FlowContext,
  type FlowDeps,
  flowRoute,
  followRedirect,
  readVerifiedForm,
  renderScreen,
} from './context';
import { takeReturnGrant } from './returnGrant';
import { routeFor, SHOW_SIGN_IN } from './selfService';

/** The authorization parameter a client adds to open the sign-up screen first. */
export const SIGN_UP_HINT = { name: 'screen_hint', value: 'signup' } as const;

/**
 * The login provider. GET: a remembered session (`skip`) is accepted at once, otherwise the form
 * is shown. POST: CSRF, the challenge re-fetched, cancel or a password check, then accept.
 */
export function createLoginHandler(deps: FlowDeps): CoreHandler {
  return flowRoute(deps, 'login', deps.settings.routes.login, {
    GET: showLogin,
    POST: submitLogin,
  });
}

async function showLogin(context: FlowContext): Promise<void> {
  const challenge = challengeFromQuery(context);
  const request = await context.deps.hydra.getLoginRequest(challenge);

  if (request.skip) {
    await acceptRememberedSession(context, challenge, request);
    return;
  }

  if (await acceptReturnGrant(context, challenge)) return;

  if (wantsSignUpFirst(context, request)) {
    followRedirect(context, routeFor(context.deps.settings.routes.signUp, challenge));
    return;
  }

  showForm(context, 200, challenge, request);
}

/**
 * After a password reset the browser comes back with a one-time grant for the user who set
 * it (see `returnGrant.ts`): the fresh challenge is accepted for that user without the form.
 */
async function acceptReturnGrant(context: FlowContext, challenge: string): Promise<boolean> {
  const { settings, selfService, hydra } = context.deps;
  if (!selfService) return false;
  const grant = takeReturnGrant(context.req, context.res, {
    secret: settings.csrf.secret,
    path: settings.routes.login,
    secure: selfService.secureCookies,
  });
  if (!grant) return false;

  const to = await hydra.acceptLogin(challenge, grant.subject, { remember: false, rememberFor: 0 });
  log.login('accepted after password reset challenge=%s', redact(challenge));
  followRedirect(context, to);
  return true;
}

/**
 * The client asked for the sign-up screen (`screen_hint=signup` in its authorization request,
 * which Hydra keeps in `request_url`), unless the shopper chose the password form from there.
 */
function wantsSignUpFirst(context: FlowContext, request: OAuth2LoginRequest): boolean {
  const { selfService, settings } = context.deps;
  if (!selfService || !settings.accounts.signUp) return false;
  const own = new URL(context.req.url ?? '/', 'http://unused.invalid');
  if (own.searchParams.get('show') === SHOW_SIGN_IN) return false;
  try {
    const original = new URL(request.request_url ?? '');
    return original.searchParams.get(SIGN_UP_HINT.name) === SIGN_UP_HINT.value;
  } catch {
    return false;
  }
}

async function submitLogin(context: FlowContext): Promise<void> {
  const { form, challenge } = await readVerifiedForm(context);
  const { hydra, accounts } = context.deps;
  const request = await hydra.getLoginRequest(challenge);

  if (singleField(form, 'action') === 'cancel') {
    const to = await hydra.rejectLogin(challenge, {
      error: 'access_denied',
      description: 'The user cancelled the sign-in.',
    });
    followRedirect(context, to);
    return;
  }

  // Hydra already knows who this is (another tab signed in meanwhile): the form is moot.
  if (request.skip) {
    await acceptRememberedSession(context, challenge, request);
    return;
  }

  const credentials = readCredentials(form);
  if (!credentials) {
    showForm(context, 400, challenge, request, {
      identifier: singleField(form, 'identifier'),
      error: context.deps.ui.messages.missingCredentials,
    });
    return;
  }

  const attemptKey = `${clientAddress(context.req)}|${credentials.identifier.toLowerCase()}`;
  if (!(await mayTryAgain(context, attemptKey))) {
    showForm(context, 429, challenge, request, {
      identifier: credentials.identifier,
      error: context.deps.ui.messages.tooManyAttempts,
    });
    return;
  }

  const user = await accounts.verifyPassword(credentials.identifier, credentials.password);
  await countAttempt(context, attemptKey, user !== null);
  if (!user) {
    log.login('rejected credentials challenge=%s', redact(challenge));
    showForm(context, 401, challenge, request, {
      identifier: credentials.identifier,
      error: context.deps.ui.messages.badCredentials,
    });
    return;
  }

  const remember = singleField(form, 'remember') === '1';
  const to = await hydra.acceptLogin(challenge, user.id, {
    remember,
    rememberFor: context.deps.settings.session.rememberFor,
  });
  log.login('accepted challenge=%s remember=%s', redact(challenge), remember);
  followRedirect(context, to);
}

/**
 * Only failed sign-ins count, per connection and identifier, so a shopper who signs in often
 * is never slowed while guessing at one account is. The same check runs before known and
 * unknown identifiers alike.
 */
async function mayTryAgain(context: FlowContext, key: string): Promise<boolean> {
  const limits = context.deps.rateLimits;
  if (!limits) return true;
  return (await limits.peek('loginFailures', key)).allowed;
}

async function countAttempt(context: FlowContext, key: string, succeeded: boolean) {
  const limits = context.deps.rateLimits;
  if (!limits) return;
  if (succeeded) await limits.reset('loginFailures', key);
  else await limits.consume('loginFailures', key);
}

/**
 * On `skip` Hydra already authenticated the user; we must accept with the same subject and
 * show nothing.
 */
export async function acceptRememberedSession(
  context: FlowContext,
  challenge: string,
  request: OAuth2LoginRequest,
): Promise<void> {
  const to = await context.deps.hydra.acceptLogin(challenge, request.subject, {
    remember: false,
    rememberFor: 0,
  });
  log.login('accepted remembered session challenge=%s', redact(challenge));
  followRedirect(context, to);
}

/**
 * Both fields must be filled in. Over-long values are not refused here: they go on to the
 * password check, which turns them down (Meteor caps passwords at 256 characters) with the same
 * generic answer as any other wrong password, so a too-long entry is not a different message.
 */
function readCredentials(form: FormFields): { identifier: string; password: string } | null {
  const identifier = singleField(form, 'identifier')?.trim();
  const password = singleField(form, 'password');
  if (!identifier || !password) return null;
  return { identifier, password };
}

function showForm(
  context: FlowContext,
  status: number,
  challenge: string,
  request: OAuth2LoginRequest,
  extra: { identifier?: string; error?: string } = {},
): void {
  const { ui, csrf, selfService, settings } = context.deps;
  renderScreen(context, status, 'LoginPage', ui.messages.signInTitle, {
    action: context.action,
    challenge,
    csrfToken: csrf.issue(context.req, context.res),
    messages: ui.messages,
    client: clientView(request.client),
    signUpUrl: selfService && settings.accounts.signUp
      ? routeFor(settings.routes.signUp, challenge)
      : undefined,
    forgotUrl: selfService ? routeFor(settings.routes.forgotPassword, challenge) : undefined,
    ...extra,
  });
}

export function clientView(client: OAuth2LoginRequest['client'] | undefined): ClientView {
  return {
    name: client?.client_name || client?.client_id || 'the application',
    logoUri: safeHttpUrl(client?.logo_uri),
    policyUri: safeHttpUrl(client?.policy_uri),
    tosUri: safeHttpUrl(client?.tos_uri),
  };
}

/** Client metadata is operator input shown as links: only http(s) URLs get through. */
function safeHttpUrl(value: string | undefined): string | undefined {
  if (!value) return undefined;
  try {
    const url = new URL(value);
    return url.protocol === 'https:' || url.protocol === 'http:' ? url.toString() : undefined;
  } catch {
    return undefined;
  }
}
