import type { OAuth2ConsentRequest } from '../hydra/admin';
import { log, redact } from '../log';
import { listField, singleField } from '../http/form';
import type { CoreHandler } from '../http/types';
import { claimsForScopes } from './claims';
import {
  challengeFromQuery,
  type FlowContext,
  type FlowDeps,
  flowRoute,
  followRedirect,
  readVerifiedForm,
  renderScreen,
} from './context';
import { grantedScopes, isTrustedClient } from './decisions';
import { clientView } from './login';

/**
 * The consent provider. GET: a trusted client or a remembered consent (`skip`) is granted what
 * it asked for at once; any other client gets the consent screen. POST: CSRF, the challenge
 * re-fetched, then deny, or grant what was ticked within what was requested.
 */
export function createConsentHandler(deps: FlowDeps): CoreHandler {
  return flowRoute(deps, 'consent', deps.settings.routes.consent, {
    GET: showConsent,
    POST: submitConsent,
  });
}

async function showConsent(context: FlowContext): Promise<void> {
  const challenge = challengeFromQuery(context);
  const request = await context.deps.hydra.getConsentRequest(challenge);

  if (request.skip || isTrustedClient(request.client, context.deps.settings.trustedClients)) {
    await grant(context, challenge, request, request.requested_scope ?? [], false);
    return;
  }

  await showScreen(context, challenge, request);
}

async function submitConsent(context: FlowContext): Promise<void> {
  const { form, challenge } = await readVerifiedForm(context);
  const request = await context.deps.hydra.getConsentRequest(challenge);

  if (singleField(form, 'action') !== 'allow') {
    const to = await context.deps.hydra.rejectConsent(challenge, {
      error: 'access_denied',
      description: 'The user denied the request.',
    });
    log.consent('denied challenge=%s', redact(challenge));
    followRedirect(context, to);
    return;
  }

  const scopes = grantedScopes(request.requested_scope ?? [], listField(form, 'scope'));
  const remember = singleField(form, 'remember') === '1';
  await grant(context, challenge, request, scopes, remember);
}

/**
 * Accepts the consent with ID-token claims read fresh from the user, also on `skip`: Hydra
 * does not keep the claims of an earlier grant.
 */
async function grant(
  context: FlowContext,
  challenge: string,
  request: OAuth2ConsentRequest,
  scopes: string[],
  remember: boolean,
): Promise<void> {
  const { hydra, accounts, settings } = context.deps;
  const user = request.subject ? await accounts.findById(request.subject) : null;

  if (!user) {
    // The account was removed between sign-in and consent; no token may name it.
    const to = await hydra.rejectConsent(challenge, {
      error: 'access_denied',
      description: 'The account no longer exists.',
    });
    log.consent('rejected unknown subject challenge=%s', redact(challenge));
    followRedirect(context, to);
    return;
  }

  const to = await hydra.acceptConsent(challenge, {
    scopes,
    audience: request.requested_access_token_audience ?? [],
    remember,
    rememberFor: settings.session.consentRememberFor,
    idTokenClaims: claimsForScopes(user, scopes),
  });
  log.consent('granted challenge=%s scopes=%s remember=%s', redact(challenge), scopes.join(','), remember);
  followRedirect(context, to);
}

async function showScreen(
  context: FlowContext,
  challenge: string,
  request: OAuth2ConsentRequest,
): Promise<void> {
  const { ui, csrf, accounts } = context.deps;
  const user = request.subject ? await accounts.findById(request.subject) : null;
  const client = clientView(request.client);
  renderScreen(context, 200, 'ConsentPage', ui.messages.consentTitle(client.name), {
    action: context.action,
    challenge,
    csrfToken: csrf.issue(context.req, context.res),
    messages: ui.messages,
    client,
    // A scope we have no words for is still shown, by its name: never silently granted.
    scopes: (request.requested_scope ?? []).map((name) => ({
      name,
      description: ui.messages.scopes[name] ?? name,
    })),
    subjectLabel: user?.emails[0]?.address ?? user?.username,
  });
}
