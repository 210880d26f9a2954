import type { AccountsPort, SelfServiceAccounts } from '../accounts/port';
import type { HydraAdmin } from '../hydra/admin';
import { redact, log } from '../log';
import type { Csrf } from '../http/csrf';
import { CSRF_FIELD } from '../http/csrf';
import { type FormFields, singleField } from '../http/form';
import { redirect, sendHtml } from '../http/respond';
import type { CoreHandler, CoreRequest, CoreResponse } from '../http/types';
import type { HydraOAuthSettings } from '../settings';
import type { RateLimits } from '../limits/rateLimits';
import type { MailPort } from '../mail/port';
import type { ScreenName } from '../ui/registry';
import type { Ui } from '../ui/render';
import {
  ChallengeHandledError,
  ChallengeMissingError,
  FlowError,
  type FlowKind,
  MethodNotAllowedError,
} from './errors';
import { isPlausibleChallenge } from './decisions';
import { BadRequestError } from './errors';

/** What every flow step may use; built once per host at start-up. */
export interface FlowDeps {
  settings: HydraOAuthSettings;
  hydra: HydraAdmin;
  accounts: AccountsPort;
  csrf: Csrf;
  ui: Ui;
  readForm(req: CoreRequest, res: CoreResponse): Promise<FormFields>;
  /** Failed sign-ins, sign-ups and reset requests are counted here when a host gives it. */
  rateLimits?: RateLimits;
  /** Sign-up, reset and verification; absent when the host gave no mailer. */
  selfService?: SelfServiceDeps;
}

export interface SelfServiceDeps {
  accounts: SelfServiceAccounts;
  mail: MailPort;
  rateLimits: RateLimits;
  /** Where browsers reach this provider: the base of every mailed link. */
  publicUrl: string;
  secureCookies: boolean;
}

/** One request inside one flow. */
export interface FlowContext {
  deps: FlowDeps;
  flow: FlowKind;
  req: CoreRequest;
  res: CoreResponse;
  /** This route's own path, for form actions. */
  action: string;
}

type Step = (context: FlowContext) => Promise<void>;

/**
 * Builds the handler for one flow from its GET and POST steps. Whatever a step throws ends
 * here: a flow error becomes its own page, a handled challenge a redirect, anything else a
 * generic page; the error never reaches the host's error handler, so no host can leak it.
 */
export function flowRoute(
  deps: FlowDeps,
  flow: FlowKind,
  action: string,
  steps: { GET: Step; POST: Step },
): CoreHandler {
  return (req, res) => {
    const context: FlowContext = { deps, flow, req, res, action };
    // No HEAD: a GET may accept a remembered login at Hydra, which a HEAD must never do.
    const step = req.method === 'GET' ? steps.GET
      : req.method === 'POST' ? steps.POST
      : rejectMethod;
    step(context).catch((error: unknown) => answerFailure(context, error));
  };
}

async function rejectMethod(context: FlowContext): Promise<void> {
  context.res.setHeader('Allow', 'GET, POST');
  throw new MethodNotAllowedError(String(context.req.method));
}

function answerFailure(context: FlowContext, error: unknown): void {
  const { req, res, flow, deps } = context;
  if (res.headersSent) {
    log.error('flow=%s failed after the answer began: %s', flow, describe(error));
    res.destroy();
    return;
  }
  if (error instanceof ChallengeHandledError) {
    log[flow]('already-handled, following redirect_to');
    redirect(res, req.method, error.redirectTo);
    return;
  }
  if (error instanceof FlowError) {
    log[flow]('failed status=%d error=%s', error.status, error.name);
    renderError(context, error);
    return;
  }
  log.error('flow=%s internal error: %s', flow, describe(error));
  const html = deps.ui.page('ErrorPage', deps.ui.messages.errorTitle, {
    status: 500,
    message: deps.ui.messages.errors.internal,
    messages: deps.ui.messages,
  });
  sendHtml(res, 500, html);
}

function renderError(context: FlowContext, error: FlowError): void {
  const { ui, settings } = context.deps;
  const restartUrl = error.restart?.url ?? (error.restartable ? settings.storefrontUrl : undefined);
  const html = ui.page('ErrorPage', ui.messages.errorTitle, {
    status: error.status,
    message: ui.messages.errors[error.messageKey],
    restartUrl,
    restartLabel: error.restart ? ui.messages[error.restart.label] : undefined,
    messages: ui.messages,
  });
  sendHtml(context.res, error.status, html);
}

function describe(error: unknown): string {
  return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
}

/** A GET carries the challenge in Hydra's own query parameter, e.g. `login_challenge`. */
export function challengeFromQuery(context: FlowContext): string {
  const url = new URL(context.req.url ?? '/', 'http://unused.invalid');
  const values = url.searchParams.getAll(`${context.flow}_challenge`);
  if (values.length === 0 || values[0] === '') throw new ChallengeMissingError(context.flow);
  if (values.length > 1 || !isPlausibleChallenge(values[0])) {
    throw new BadRequestError(`malformed ${context.flow} challenge`);
  }
  return values[0];
}

/**
 * A POST must carry a valid CSRF token before anything else in it is read, and then only the
 * challenge is taken from it: the request itself is fetched again from Hydra.
 */
export async function readVerifiedForm(
  context: FlowContext,
): Promise<{ form: FormFields; challenge: string }> {
  const form = await context.deps.readForm(context.req, context.res);
  context.deps.csrf.verify(context.req, singleField(form, CSRF_FIELD));
  const challenge = singleField(form, 'challenge');
  if (challenge === undefined || challenge === '') throw new ChallengeMissingError(context.flow);
  if (!isPlausibleChallenge(challenge)) {
    throw new BadRequestError(`malformed ${context.flow} challenge`);
  }
  log[context.flow]('form challenge=%s', redact(challenge));
  return { form, challenge };
}

export function followRedirect(context: FlowContext, location: string): void {
  redirect(context.res, context.req.method, location);
}

export function renderScreen<P extends object>(
  context: FlowContext,
  status: number,
  screen: ScreenName,
  title: string,
  props: P,
): void {
  sendHtml(context.res, status, context.deps.ui.page(screen, title, props));
}

/** A POST outside any challenge (a mailed link's form): the CSRF token is checked first. */
export async function readCsrfCheckedForm(context: FlowContext): Promise<FormFields> {
  const form = await context.deps.readForm(context.req, context.res);
  context.deps.csrf.verify(context.req, singleField(form, CSRF_FIELD));
  return form;
}
