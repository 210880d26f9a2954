import { isPlausibleToken } from '../accounts/accountTokens';
import type { TokenRefusal } from '../accounts/port';
import { log } from '../log';
import { singleField } from '../http/form';
import type { CoreHandler } from '../http/types';
import { readNewPassword } from './accountInput';
import {
  type FlowContext,
  type FlowDeps,
  flowRoute,
  followRedirect,
  readCsrfCheckedForm,
  renderScreen,
} from './context';
import { AccountLinkError } from './errors';
import { setReturnGrant } from './returnGrant';
import { requireSelfService, storefrontSignIn } from './selfService';

/**
 * The page a reset mail links to. GET checks the token without using it, so a used or expired
 * link says so before anyone types; POST sets the password and uses the token up, then sends
 * the browser to start the client's sign-in again, carrying a one-time return grant (see
 * `returnGrant.ts`) that the login step accepts in place of the password.
 */
export function createResetPasswordHandler(deps: FlowDeps): CoreHandler {
  return flowRoute(deps, 'account', deps.settings.routes.resetPassword, {
    GET: showReset,
    POST: submitReset,
  });
}

async function showReset(context: FlowContext): Promise<void> {
  const selfService = requireSelfService(context, 'password reset');
  const token = tokenFromQuery(context);
  const check = await selfService.accounts.inspectResetToken(
    token,
    context.deps.settings.accounts.resetTokenSeconds,
  );
  if (!check.ok) throw linkError(context, check.reason);
  showForm(context, 200, token);
}

async function submitReset(context: FlowContext): Promise<void> {
  const selfService = requireSelfService(context, 'password reset');
  const form = await readCsrfCheckedForm(context);
  const token = singleField(form, 'token');
  if (!isPlausibleToken(token)) throw linkError(context, 'unknown');
  const { settings, ui } = context.deps;

  const password = readNewPassword(form, settings.accounts.minPasswordLength, ui.messages);
  if (!password.ok) {
    showForm(context, 400, token, password.problem);
    return;
  }

  const outcome = await selfService.accounts.resetPassword(
    token,
    password.password,
    settings.accounts.resetTokenSeconds,
  );
  if (!outcome.ok) throw linkError(context, outcome.reason);
  const returnKind = outcome.returnTo ? 'client' : '-';
  log.account('password reset user=%s return=%s', outcome.user.id, returnKind);

  const restart = outcome.returnTo ?? storefrontSignIn(context);
  if (!restart) {
    showDone(context);
    return;
  }
  const expiresAt = Date.now() + settings.accounts.returnGrantSeconds * 1000;
  setReturnGrant(context.res, { subject: outcome.user.id, expiresAt }, {
    secret: settings.csrf.secret,
    path: settings.routes.login,
    secure: selfService.secureCookies,
  });
  followRedirect(context, restart);
}

function tokenFromQuery(context: FlowContext): string {
  const url = new URL(context.req.url ?? '/', 'http://unused.invalid');
  const values = url.searchParams.getAll('token');
  if (values.length !== 1 || !isPlausibleToken(values[0])) throw linkError(context, 'unknown');
  return values[0];
}

/** A dead link offers the one useful next step: asking for a new one. */
function linkError(context: FlowContext, reason: TokenRefusal): AccountLinkError {
  return new AccountLinkError('reset', reason, {
    url: context.deps.settings.routes.forgotPassword,
    label: 'askNewLink',
  });
}

function showForm(context: FlowContext, status: number, token: string, error?: string): void {
  const { ui, csrf, settings } = context.deps;
  renderScreen(context, status, 'ResetPasswordPage', ui.messages.resetTitle, {
    action: context.action,
    token,
    csrfToken: csrf.issue(context.req, context.res),
    messages: ui.messages,
    minPasswordLength: settings.accounts.minPasswordLength,
    error,
  });
}

function showDone(context: FlowContext): void {
  const { messages } = context.deps.ui;
  renderScreen(context, 200, 'NoticePage', messages.resetDoneTitle, {
    title: messages.resetDoneTitle,
    lead: messages.resetDoneLead,
    kind: 'reset-done',
    messages,
  });
}
