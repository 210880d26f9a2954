import type { DemoStack } from '../../scripts/devstack';
import { freePort } from '../../scripts/stack';
import { startStorefront, type RunningStorefront } from '../../imports/storefront/server';
import { createClientsApi, upsertClient } from '../../packages/hydra-oauth/lib/hydra/clients';

export const PARTNER_ID = 'partner-app';
export const PARTNER_SESSION_COOKIE = 'partner.sid';
const PARTNER_SECRET = 'partner-secret-for-tests-only-0123456789';

/** A third-party app: registered at Hydra but not trusted, so its users see the consent page. */
export async function startPartnerStorefront(stack: DemoStack): Promise<RunningStorefront> {
  const port = await freePort();
  const baseUrl = `http://127.0.0.1:${port}`;
  await upsertClient(createClientsApi(stack.hydraAdminUrl), {
    client_id: PARTNER_ID,
    client_name: 'Partner app',
    client_uri: `${baseUrl}/`,
    client_secret: PARTNER_SECRET,
    grant_types: ['authorization_code', 'refresh_token'],
    response_types: ['code'],
    scope: 'openid offline_access email profile',
    redirect_uris: [`${baseUrl}/callback`],
    post_logout_redirect_uris: [`${baseUrl}/signed-out`],
    backchannel_logout_uri: `${baseUrl}/backchannel-logout`,
    backchannel_logout_session_required: true,
    token_endpoint_auth_method: 'client_secret_basic',
  });
  return startStorefront({
    port,
    issuer: stack.hydraPublicUrl,
    clientId: PARTNER_ID,
    clientSecret: PARTNER_SECRET,
    baseUrl,
    sessionSecret: 'partner-session-secret-for-tests-only',
    title: 'Partner app',
    sessionCookie: PARTNER_SESSION_COOKIE,
    apiUrl: `${stack.idpUrl}/graphql`,
  });
}

