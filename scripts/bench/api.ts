import { request, type Agent } from 'undici';

import { FlowError } from './flows';

/** The smallest query that makes the token middleware identify the caller. */
const viewerQuery = JSON.stringify({ query: '{ viewer { id } }' });

/**
 * One `POST /graphql` `{ viewer { id } }` with a bearer token, as an API client of the shop
 * sends it. Resolves to the viewer's id; throws FlowError unless the token was accepted.
 */
export async function viewerId(pool: Agent, graphqlUrl: string, accessToken: string) {
  const response = await request(graphqlUrl, {
    method: 'POST',
    headers: {
      authorization: `Bearer ${accessToken}`,
      'content-type': 'application/json',
      accept: 'application/json',
    },
    body: viewerQuery,
    dispatcher: pool,
  });
  const text = await response.body.text();
  if (response.statusCode !== 200) {
    throw new FlowError(`graphql answered ${response.statusCode}: ${text.slice(0, 120)}`);
  }
  const id = (JSON.parse(text) as { data?: { viewer?: { id?: unknown } | null } }).data?.viewer?.id;
  // A refused or unknown token still gets 200 with `viewer: null` from an anonymous API.
  if (typeof id !== 'string' || id === '') throw new FlowError('graphql answered no viewer');
  return id;
}
