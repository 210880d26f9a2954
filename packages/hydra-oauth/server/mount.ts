import type { IncomingMessage, ServerResponse } from 'node:http';

import { WebApp } from 'meteor/webapp';

import type { CoreHandler, CoreRequest, MountedRoute } from '../lib';

type Next = (error?: unknown) => void;
type Handler = (req: IncomingMessage, res: ServerResponse, next: Next) => void;

interface HandlerStack {
  use(path: string, handler: Handler): unknown;
}

/** Meteor 3's Express app, or Meteor 2's connect app where that is all there is. */
export function webAppHandlers(): HandlerStack {
  const stack = WebApp.handlers ?? WebApp.connectHandlers;
  if (!stack) throw new Error('demand:hydra-oauth: WebApp offers no handler stack to mount on');
  return stack;
}

/**
 * Mounts each core route. `use` is the one call both Express and connect have; it matches a
 * path prefix and strips it, so anything below the route's own path is passed on.
 */
export function mountRoutes(stack: HandlerStack, routes: MountedRoute[]): void {
  for (const route of routes) stack.use(route.path, onlyExactPath(route.handler));
}

function onlyExactPath(handler: CoreHandler): Handler {
  return (req, res, next) => {
    if (!isMountRoot(req.url)) {
      next();
      return;
    }
    handler(req as CoreRequest, res, next);
  };
}

function isMountRoot(url: string | undefined): boolean {
  const path = (url ?? '/').split('?', 1)[0];
  return path === '/' || path === '';
}
