import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';

import express from 'express';

import { shared } from '../shared';

/**
 * `WebApp.handlers` is an Express app on Meteor 3; here it is a plain Express 5 app that the
 * harness serves on loopback. Like Meteor, it parses no request bodies.
 */
export const WebApp = shared('WebApp', () => ({
  handlers: express(),
  connectHandlers: undefined,
}));

export const webAppHarness = {
  /** Serves `WebApp.handlers` on 127.0.0.1:`port`, as Meteor serves it on `PORT`. */
  listen(port: number): Promise<{ url: string; close(): Promise<void> }> {
    return new Promise((resolve, reject) => {
      const server: Server = WebApp.handlers.listen(port, '127.0.0.1', (error?: Error) => {
        if (error) return reject(error);
        const { port: bound } = server.address() as AddressInfo;
        resolve({ url: `http://127.0.0.1:${bound}`, close: () => closeServer(server) });
      });
    });
  },

  /** How many middleware layers the app has: tells whether anything was mounted. */
  mountedCount(): number {
    const router = (WebApp.handlers as unknown as { router?: { stack: unknown[] } }).router;
    return router?.stack.length ?? 0;
  },

  reset(): void {
    WebApp.handlers = express();
  },
};

function closeServer(server: Server): Promise<void> {
  return new Promise((resolve) => {
    server.close(() => resolve());
    server.closeAllConnections();
  });
}
