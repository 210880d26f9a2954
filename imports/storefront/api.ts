// Apollo Client 3 has no ESM exports map; Node needs the file path, not the folder.
import { ApolloClient, gql, HttpLink, InMemoryCache } from '@apollo/client/core/index.js';

export interface Viewer {
  id: string;
  username?: string | null;
  name?: string | null;
  emails: Array<{ address: string; verified: boolean }>;
}

/** The demand API refused the access token: the caller should refresh or sign out. */
export class ApiUnauthorizedError extends Error {
  override name = 'ApiUnauthorizedError';
}

const VIEWER = gql`
  query Viewer {
    viewer {
      id
      username
      name
      emails {
        address
        verified
      }
    }
  }
`;

export interface DemandApi {
  viewer(accessToken: string): Promise<Viewer | null>;
}

/** The demand API's GraphQL endpoint through Apollo Client, one shared client per storefront. */
export function createDemandApi(uri: string): DemandApi {
  const apollo = new ApolloClient({
    link: new HttpLink({ uri, fetch }),
    cache: new InMemoryCache(),
    // Every answer is per user and per token: nothing may be served from a shared cache.
    defaultOptions: { query: { fetchPolicy: 'no-cache' } },
  });

  return {
    async viewer(accessToken) {
      try {
        const result = await apollo.query<{ viewer: Viewer | null }>({
          query: VIEWER,
          context: { headers: { authorization: `Bearer ${accessToken}` } },
        });
        return withoutTypenames(result.data.viewer);
      } catch (error) {
        if (isUnauthorized(error)) throw new ApiUnauthorizedError('access token refused');
        throw error;
      }
    },
  };
}

/** Apollo reports an HTTP refusal as a network error carrying the status code. */
function isUnauthorized(error: unknown): boolean {
  const network = (error as { networkError?: { statusCode?: unknown } | null }).networkError;
  return network?.statusCode === 401;
}

/** Apollo adds `__typename` to every object; the page shows the viewer as the API defines it. */
function withoutTypenames(viewer: Viewer | null): Viewer | null {
  if (viewer === null) return null;
  return {
    id: viewer.id,
    username: viewer.username,
    name: viewer.name,
    emails: viewer.emails.map(({ address, verified }) => ({ address, verified })),
  };
}
