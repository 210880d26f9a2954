import express, { type ErrorRequestHandler, type RequestHandler } from 'express';
import { createProvider, type AccountsPort, type HydraOAuthSettings, type UiOverrides } from '../../packages/hydra-oauth/lib';
import type { MailPort, RateLimits } from '../../packages/hydra-oauth/lib';
import { log } from '../../packages/hydra-oauth/lib/log';
import { graphqlRoutes, revokeOwnSessionsRoute } from './api';

export interface StandaloneOptions {
  settings: HydraOAuthSettings;
  accounts: AccountsPort;
  ui?: UiOverrides;
  secureCookies?: boolean;
  clientScript?: string;
  mail?: MailPort;
  rateLimits?: RateLimits;
}

/**
 * The identity provider on plain Express 5, without Meteor: the same core handlers a Meteor
 * app mounts on `WebApp.handlers`. Express parses no bodies here either, so the core's own
 * size-capped form reader is the only one.
 */
export function createStandaloneApp(options: StandaloneOptions): express.Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', false);

  const provider = createProvider(options);
  for (const route of provider.routes) app.all(route.path, route.handler as RequestHandler);

  const bearer = provider.bearer as RequestHandler;
  app.post('/graphql', bearer, ...graphqlRoutes());
  app.all('/graphql', (_req, res) => {
    res.set('Allow', 'POST').status(405).json({ errors: [{ message: 'Use POST' }] });
  });
  app.post('/account/sessions/revoke', bearer, revokeOwnSessionsRoute(provider));

  app.get('/healthz', (_req, res) => {
    res.type('text/plain').send('ok');
  });
  app.use(notFound);
  app.use(lastResort);
  return app;
}

const notFound: RequestHandler = (_req, res) => {
  res.set('X-Content-Type-Options', 'nosniff');
  res.status(404).type('text/plain').send('Not found');
};

/** Anything that escaped the core (it should not) still gets a plain page, never a stack. */
const lastResort: ErrorRequestHandler = (error: unknown, _req, res, _next) => {
  log.error('unhandled error in host: %s', error instanceof Error ? error.message : String(error));
  if (res.headersSent) {
    res.destroy();
    return;
  }
  const status = statusOf(error);
  res.status(status).type('text/plain').send(status >= 500 ? 'Internal error' : 'Bad request');
};

function statusOf(error: unknown): number {
  const status = (error as { status?: unknown }).status;
  return typeof status === 'number' && status >= 400 && status < 600 ? status : 500;
}
