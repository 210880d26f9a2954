import { DEMO_USER, STOREFRONT_CLIENT_ID } from '../../scripts/devstack';

/** Where to sign in: a demo stack, or any Hydra with a provider and a storefront client. */
export interface TokenTarget {
  hydraPublicUrl: string;
  idpUrl: string;
  storefrontUrl: string;
  storefrontClientSecret: string;
}
import { HttpAgent, hiddenField } from './httpAgent';

export interface TokenSet {
  access_token: string;
  refresh_token?: string;
  id_token?: string;
  expires_in: number;
  scope: string;
}

/**
 * Signs the demo user in over HTTP as the storefront client would, but keeps the code for
 * the test: the tokens come from Hydra's token endpoint, exactly as a client gets them.
 */
export async function obtainTokens(
  stack: TokenTarget,
  options: { scope?: string; identifier?: string; password?: string } = {},
): Promise<TokenSet> {
  const agent = new HttpAgent();
  const redirectUri = `${stack.storefrontUrl}/callback`;
  const auth = new URL('/oauth2/auth', stack.hydraPublicUrl);
  auth.search = new URLSearchParams({
    client_id: STOREFRONT_CLIENT_ID,
    response_type: 'code',
    scope: options.scope ?? 'openid offline_access email profile',
    redirect_uri: redirectUri,
    state: 'token-test-state-0001',
  }).toString();

  const start = await agent.request(auth.toString());
  const loginUrl = start.headers.get('location') ?? '';
  const challenge = new URL(loginUrl).searchParams.get('login_challenge') ?? '';
  const csrfToken = hiddenField(await (await agent.request(loginUrl)).text(), 'csrf_token');
  const { url } = await agent.follow(
    `${stack.idpUrl}/account/login`,
    {
      form: {
        challenge,
        csrf_token: csrfToken,
        identifier: options.identifier ?? DEMO_USER.email,
        password: options.password ?? DEMO_USER.password,
      },
    },
    { stopAt: (next) => next.startsWith(redirectUri) },
  );
  const code = new URL(url).searchParams.get('code');
  if (!code) throw new Error(`sign-in did not end with a code: ${url}`);
  return tokenRequest(stack, { grant_type: 'authorization_code', code, redirect_uri: redirectUri });
}

export async function refreshTokens(stack: TokenTarget, refreshToken: string): Promise<TokenSet> {
  return tokenRequest(stack, { grant_type: 'refresh_token', refresh_token: refreshToken });
}

export async function revokeToken(stack: TokenTarget, token: string): Promise<void> {
  const response = await fetch(`${stack.hydraPublicUrl}/oauth2/revoke`, {
    method: 'POST',
    headers: clientHeaders(stack),
    body: new URLSearchParams({ token }).toString(),
  });
  if (response.status !== 200) throw new Error(`revocation answered ${response.status}`);
}

async function tokenRequest(stack: TokenTarget, form: Record<string, string>): Promise<TokenSet> {
  const response = await fetch(`${stack.hydraPublicUrl}/oauth2/token`, {
    method: 'POST',
    headers: clientHeaders(stack),
    body: new URLSearchParams(form).toString(),
  });
  const body = (await response.json()) as TokenSet & { error?: string };
  if (!response.ok) throw new Error(`token endpoint: ${response.status} ${body.error}`);
  return body;
}

function clientHeaders(stack: TokenTarget): Record<string, string> {
  const basic = Buffer.from(
    `${encodeURIComponent(STOREFRONT_CLIENT_ID)}:${encodeURIComponent(stack.storefrontClientSecret)}`,
  ).toString('base64');
  return {
    authorization: `Basic ${basic}`,
    'content-type': 'application/x-www-form-urlencoded',
  };
}
