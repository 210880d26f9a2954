import type { OAuth2LoginRequest } from '../hydra/admin';
import { AccountExistsError } from '../accounts/port';
import { log, redact } from '../log';
import type { FormFields } from '../http/form';
import type { CoreHandler } from '../http/types';
import { clientAddress, readEmail, readNewPassword } from './accountInput';
import { inBackground, mailVerificationLink } from './accountMail';
import {
  challengeFromQuery,
  type FlowContext,
  type FlowDeps,
  flowRoute,
  followRedirect,
  readVerifiedForm,
  renderScreen,
} from './context';
import { acceptRememberedSession, clientView } from './login';
import { requireSelfService, signInUrl } from './selfService';

/**
 * Sign-up inside a sign-in: shown for a login challenge, it creates the user as Meteor's
 * `Accounts.createUser` does and then accepts that challenge for the new user, so the shopper
 * lands back at the client signed in. The order of POST steps: CSRF and challenge, a
 * remembered session wins, the rate limit, the fields, the new user, the verification mail,
 * then accept.
 */
export function createSignUpHandler(deps: FlowDeps): CoreHandler {
  return flowRoute(deps, 'login', deps.settings.routes.signUp, {
    GET: showSignUp,
    POST: submitSignUp,
  });
}

async function showSignUp(context: FlowContext): Promise<void> {
  requireSelfService(context, 'sign-up');
  const challenge = challengeFromQuery(context);
  const request = await context.deps.hydra.getLoginRequest(challenge);
  if (request.skip) {
    await acceptRememberedSession(context, challenge, request);
    return;
  }
  showForm(context, 200, challenge, request);
}

async function submitSignUp(context: FlowContext): Promise<void> {
  const selfService = requireSelfService(context, 'sign-up');
  const { form, challenge } = await readVerifiedForm(context);
  const { hydra, ui, settings } = context.deps;
  const request = await hydra.getLoginRequest(challenge);
  if (request.skip) {
    await acceptRememberedSession(context, challenge, request);
    return;
  }

  const typedEmail = readEmail(form);
  const limit = await selfService.rateLimits.consume('signUp', clientAddress(context.req));
  if (!limit.allowed) {
    showForm(context, 429, challenge, request, form, ui.messages.tooManyAttempts);
    return;
  }
  if (!typedEmail) {
    showForm(context, 400, challenge, request, form, ui.messages.invalidEmail);
    return;
  }
  const password = readNewPassword(form, settings.accounts.minPasswordLength, ui.messages);
  if (!password.ok) {
    showForm(context, 400, challenge, request, form, password.problem);
    return;
  }

  const user = await createOrRefuse(context, typedEmail, password.password);
  if (!user) {
    showForm(context, 409, challenge, request, form, ui.messages.signUpRefused);
    return;
  }
  if (settings.accounts.sendVerificationEmail) {
    inBackground('verify', mailVerificationLink(context.deps, selfService, user));
  }

  const to = await hydra.acceptLogin(challenge, user.id, { remember: false, rememberFor: 0 });
  log.account('signed up and accepted challenge=%s user=%s', redact(challenge), user.id);
  followRedirect(context, to);
}

/**
 * An address someone already holds is refused with the same words whatever the reason, as
 * Meteor's `createUser` refuses it; the sign-up rate limit bounds how fast anyone can probe.
 */
async function createOrRefuse(context: FlowContext, email: string, password: string) {
  try {
    return await context.deps.selfService!.accounts.createUser({ email, password });
  } catch (error) {
    if (!(error instanceof AccountExistsError)) throw error;
    log.account('sign-up refused: address taken');
    return null;
  }
}

function showForm(
  context: FlowContext,
  status: number,
  challenge: string,
  request: OAuth2LoginRequest,
  form: FormFields = {},
  error?: string,
): void {
  const { ui, csrf, settings } = context.deps;
  const typed = form.email;
  renderScreen(context, status, 'SignUpPage', ui.messages.signUpTitle, {
    action: context.action,
    challenge,
    csrfToken: csrf.issue(context.req, context.res),
    messages: ui.messages,
    client: clientView(request.client),
    minPasswordLength: settings.accounts.minPasswordLength,
    signInUrl: signInUrl(context, challenge),
    email: typeof typed === 'string' ? typed.slice(0, 320) : undefined,
    error,
  });
}
