import express, { type RequestHandler } from 'express';
import { buildSchema } from 'graphql';
import { createHandler } from 'graphql-http/lib/use/express';
import type { AccountUser, Provider } from '../../packages/hydra-oauth/lib';
import type { AuthenticatedRequest } from '../../packages/hydra-oauth/lib/tokens';

/**
 * The demand API's slice that this host serves: who the bearer of the token is. A request
 * without a token is anonymous and gets `viewer: null`.
 */
const schema = buildSchema(`
  type Email { address: String! verified: Boolean! }
  type Viewer { id: ID! username: String name: String emails: [Email!]! }
  type Query { viewer: Viewer }
`);

interface ApiContext {
  user?: AccountUser;
}

const rootValue = {
  viewer: (_args: unknown, context: ApiContext) => {
    const { user } = context;
    if (!user) return null;
    return { id: user.id, username: user.username, name: user.profile?.name, emails: user.emails };
  },
};

/** Queries are tiny; a cap keeps one request from tying up the event loop in the parser. */
const MAX_QUERY_BYTES = 16 * 1024;

/**
 * `POST /graphql` with a JSON body only. The body is read here, capped, before graphql-http
 * sees it (it would read any size itself); answers carry user data, so nothing caches them.
 */
export function graphqlRoutes(): RequestHandler[] {
  const handler = createHandler({
    schema,
    rootValue,
    context: (req) => ({ user: (req.raw as AuthenticatedRequest).auth?.user }),
  }) as RequestHandler;
  return [noStore, requireJson, express.json({ limit: MAX_QUERY_BYTES }), handler];
}

const noStore: RequestHandler = (_req, res, next) => {
  res.set({ 'Cache-Control': 'no-store', 'X-Content-Type-Options': 'nosniff' });
  next();
};

const requireJson: RequestHandler = (req, res, next) => {
  if (req.is('application/json')) {
    next();
    return;
  }
  res.status(415).json({
    errors: [{ message: 'Send the query as application/json' }],
  });
};

/**
 * Sign-out everywhere for the caller: the subject comes from the verified token, never from
 * the request, so nobody can sign another user out.
 */
export function revokeOwnSessionsRoute(provider: Provider): RequestHandler {
  return (req, res, next) => {
    const user = (req as AuthenticatedRequest).auth?.user;
    if (!user) {
      res.set('WWW-Authenticate', 'Bearer realm="demand"').status(401).json({
        error: 'invalid_token',
        error_description: 'Sign in first',
      });
      return;
    }
    provider.revokeSessions(user.id).then(() => res.status(204).end(), next);
  };
}
