import type { OAuth2Client } from '@ory/hydra-client';
import { log, redact } from '../log';
import { singleField } from '../http/form';
import type { CoreHandler } from '../http/types';
import {
  challengeFromQuery,
  type FlowContext,
  type FlowDeps,
  flowRoute,
  followRedirect,
  readVerifiedForm,
  renderScreen,
} from './context';
import { mayLogoutWithoutAsking } from './decisions';
import { clientView } from './login';

/**
 * The logout provider, driven only by Hydra's logout challenge. A trusted client's sign-out
 * goes through at once; otherwise the user confirms, so no other site can sign them out with
 * a link.
 */
export function createLogoutHandler(deps: FlowDeps): CoreHandler {
  return flowRoute(deps, 'logout', deps.settings.routes.logout, {
    GET: showLogout,
    POST: submitLogout,
  });
}

async function showLogout(context: FlowContext): Promise<void> {
  const challenge = challengeFromQuery(context);
  const request = await context.deps.hydra.getLogoutRequest(challenge);
  const { ui, csrf, settings } = context.deps;

  if (request.rp_initiated && mayLogoutWithoutAsking(request.client, settings.trustedClients)) {
    followRedirect(context, await context.deps.hydra.acceptLogout(challenge));
    log.logout('accepted without asking challenge=%s', redact(challenge));
    return;
  }

  renderScreen(context, 200, 'LogoutPage', ui.messages.logoutTitle, {
    action: context.action,
    challenge,
    csrfToken: csrf.issue(context.req, context.res),
    messages: ui.messages,
    client: request.client ? clientView(request.client) : undefined,
  });
}

async function submitLogout(context: FlowContext): Promise<void> {
  const { challenge, form } = await readVerifiedForm(context);
  const { hydra, ui, settings } = context.deps;
  const request = await hydra.getLogoutRequest(challenge);

  if (singleField(form, 'action') === 'yes') {
    followRedirect(context, await hydra.acceptLogout(challenge));
    log.logout('accepted challenge=%s', redact(challenge));
    return;
  }

  await hydra.rejectLogout(challenge);
  log.logout('declined challenge=%s', redact(challenge));
  // Never back to a URL from the request: only to the client's registered home, or the shop.
  const back = clientHome(request.client) ?? settings.storefrontUrl;
  if (back) {
    followRedirect(context, back);
    return;
  }
  renderScreen(context, 200, 'ErrorPage', ui.messages.stillSignedInTitle, {
    status: 200,
    message: ui.messages.stillSignedInTitle,
    messages: ui.messages,
  });
}

/**
 * Where "stay signed in" returns to: the asking client's `client_uri`, but only when it is on
 * the host of one of the client's own redirect URIs, so a registration cannot send users to a
 * third party's site.
 */
export function clientHome(client: OAuth2Client | undefined): string | undefined {
  if (!client?.client_uri) return undefined;
  const home = parseHttpUrl(client.client_uri);
  if (!home) return undefined;
  const ownHosts = (client.redirect_uris ?? []).map((uri) => parseHttpUrl(uri)?.host);
  return ownHosts.includes(home.host) ? home.toString() : undefined;
}

function parseHttpUrl(value: string): URL | undefined {
  try {
    const url = new URL(value);
    return url.protocol === 'https:' || url.protocol === 'http:' ? url : undefined;
  } catch {
    return undefined;
  }
}
