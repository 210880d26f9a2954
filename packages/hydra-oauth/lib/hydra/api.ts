import http from 'node:http';
import https from 'node:https';
import { Configuration, OAuth2Api } from '@ory/hydra-client';

export interface AdminApiOptions {
  adminUrl: string;
  /** Seconds before a call to Hydra counts as failed. */
  requestTimeout: number;
}

/**
 * The generated client for Hydra's admin API, on one pool of kept-alive sockets: each sign-in
 * and each uncached token check makes admin calls, and a new TCP connection per call would
 * cost more than the call.
 */
export function createAdminApi(options: AdminApiOptions): OAuth2Api {
  return new OAuth2Api(
    new Configuration({
      basePath: options.adminUrl.replace(/\/+$/, ''),
      baseOptions: {
        httpAgent: new http.Agent({ keepAlive: true }),
        httpsAgent: new https.Agent({ keepAlive: true }),
        timeout: options.requestTimeout * 1000,
        // A redirect from the admin API means a wrong URL; following it could leak a token.
        maxRedirects: 0,
      },
    }),
  );
}
