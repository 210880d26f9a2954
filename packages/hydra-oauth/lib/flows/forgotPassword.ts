import { log } from '../log';
import { type FormFields, singleField } from '../http/form';
import type { CoreHandler } from '../http/types';
import { addressKey, clientAddress, readEmail } from './accountInput';
import { inBackground, mailResetLink, storedAddress } from './accountMail';
import {
  type FlowContext,
  type FlowDeps,
  flowRoute,
  readCsrfCheckedForm,
  renderScreen,
  type SelfServiceDeps,
} from './context';
import { isPlausibleChallenge } from './decisions';
import { FlowError } from './errors';
import { requireSelfService, signInUrl } from './selfService';

/**
 * "Forgot password". Opened from the sign-in screen it carries the login challenge, which is
 * used for one thing: to look up, at Hydra, the client's authorization URL to return to after
 * the reset. The answer is the same page for known and unknown addresses, and the mail is
 * sent beside it, so neither the words nor the timing tell whether an account exists.
 */
export function createForgotPasswordHandler(deps: FlowDeps): CoreHandler {
  return flowRoute(deps, 'account', deps.settings.routes.forgotPassword, {
    GET: showForgot,
    POST: submitForgot,
  });
}

async function showForgot(context: FlowContext): Promise<void> {
  requireSelfService(context, 'password reset');
  const challenge = optionalChallenge(
    new URL(context.req.url ?? '/', 'http://unused.invalid').searchParams.get('login_challenge'),
  );
  showForm(context, 200, challenge);
}

async function submitForgot(context: FlowContext): Promise<void> {
  const selfService = requireSelfService(context, 'password reset');
  const form = await readCsrfCheckedForm(context);
  const challenge = optionalChallenge(singleField(form, 'challenge'));
  const { messages } = context.deps.ui;

  const email = readEmail(form);
  if (!email) {
    showForm(context, 400, challenge, form, messages.invalidEmail);
    return;
  }
  if (!(await withinLimits(selfService, context, email))) {
    showForm(context, 429, challenge, form, messages.tooManyAttempts);
    return;
  }

  inBackground('reset', sendLinkIfKnown(context, selfService, email, challenge));
  log.account('reset requested');
  renderScreen(context, 200, 'NoticePage', messages.forgotSentTitle, {
    title: messages.forgotSentTitle,
    lead: messages.forgotSentLead(email),
    kind: 'forgot-sent',
    linkUrl: challenge ? signInUrl(context, challenge) : undefined,
    linkLabel: messages.backToSignIn,
    messages,
  });
}

/** Counted per address (no mail-bombing one person) and per connection (no sweeping). */
async function withinLimits(selfService: SelfServiceDeps, context: FlowContext, email: string) {
  const perIp = await selfService.rateLimits.consume(
    'forgotPasswordPerIp',
    clientAddress(context.req),
  );
  const perAddress = await selfService.rateLimits.consume('forgotPassword', addressKey(email));
  return perIp.allowed && perAddress.allowed;
}

async function sendLinkIfKnown(
  context: FlowContext,
  selfService: SelfServiceDeps,
  email: string,
  challenge: string | undefined,
): Promise<void> {
  const user = await selfService.accounts.findByEmail(email);
  const address = user ? storedAddress(user, email) : undefined;
  if (!user || !address) return;
  const returnTo = challenge ? await clientReturnUrl(context, challenge) : undefined;
  await mailResetLink(context.deps, selfService, { user, address, returnTo });
}

/**
 * The client's own authorization request, as Hydra recorded it: following it again later
 * starts a fresh sign-in at the same client. It comes from Hydra, never from the form, and a
 * challenge Hydra no longer knows simply gives none (the storefront is the fallback).
 */
async function clientReturnUrl(context: FlowContext, challenge: string) {
  try {
    const request = await context.deps.hydra.getLoginRequest(challenge);
    return isHttpUrl(request.request_url) ? request.request_url : undefined;
  } catch (error) {
    if (error instanceof FlowError) return undefined;
    throw error;
  }
}

function isHttpUrl(value: unknown): value is string {
  if (typeof value !== 'string') return false;
  try {
    return ['http:', 'https:'].includes(new URL(value).protocol);
  } catch {
    return false;
  }
}

function optionalChallenge(value: string | null | undefined): string | undefined {
  return isPlausibleChallenge(value) ? value : undefined;
}

function showForm(
  context: FlowContext,
  status: number,
  challenge: string | undefined,
  form: FormFields = {},
  error?: string,
): void {
  const { ui, csrf } = context.deps;
  const typed = form.email;
  renderScreen(context, status, 'ForgotPasswordPage', ui.messages.forgotTitle, {
    action: context.action,
    challenge: challenge ?? '',
    csrfToken: csrf.issue(context.req, context.res),
    messages: ui.messages,
    signInUrl: challenge ? signInUrl(context, challenge) : undefined,
    email: typeof typed === 'string' ? typed.slice(0, 320) : undefined,
    error,
  });
}

