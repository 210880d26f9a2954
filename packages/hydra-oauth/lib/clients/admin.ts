import { isAxiosError } from 'axios';
import type { OAuth2Api, OAuth2Client } from '@ory/hydra-client';

import { createClientsApi } from '../hydra/clients';
import { ClientNotFoundError, HydraRejectedError, HydraUnreachableError } from './errors';
import {
  DECLARED_FIELDS_KEY,
  type DeclaredClient,
  SECRET_DIGEST_KEY,
} from './fields';
import { secretDigest } from './secret';

const PAGE_SIZE = 250;

/** Hydra's admin API for clients, with every failure turned into one of our typed errors. */
export interface ClientsAdmin {
  list(): Promise<OAuth2Client[]>;
  get(clientId: string): Promise<OAuth2Client>;
  create(client: DeclaredClient): Promise<void>;
  replace(client: DeclaredClient): Promise<void>;
  remove(clientId: string): Promise<void>;
}

export function clientsAdmin(adminUrl: string, api: OAuth2Api = createClientsApi(adminUrl)) {
  const call = <T>(action: string, request: () => Promise<T>) =>
    request().catch((error: unknown) => {
      throw translateError(adminUrl, action, error);
    });

  const admin: ClientsAdmin = {
    list: () => call('list clients', () => listAllPages(api)),
    get: (id) => call(`read client ${id}`, () => api.getOAuth2Client({ id })).then((r) => r.data),
    create: (client) =>
      call(`create client ${client.client_id}`, () =>
        api.createOAuth2Client({ oAuth2Client: registration(client) }),
      ).then(() => undefined),
    // PUT, not PATCH: the whole registration is replaced, so nothing from an older version of
    // the file survives in Hydra.
    replace: (client) =>
      call(`update client ${client.client_id}`, () =>
        api.setOAuth2Client({ id: client.client_id, oAuth2Client: registration(client) }),
      ).then(() => undefined),
    remove: (id) =>
      call(`delete client ${id}`, () => api.deleteOAuth2Client({ id })).then(() => undefined),
  };
  return admin;
}

/** What Hydra is sent: the declared fields plus our bookkeeping in metadata. */
export function registration(client: DeclaredClient): OAuth2Client {
  const metadata: Record<string, unknown> = {
    ...client.metadata,
    [DECLARED_FIELDS_KEY]: Object.keys(client).filter((field) => field !== 'metadata'),
  };
  if (client.client_secret !== undefined) {
    metadata[SECRET_DIGEST_KEY] = secretDigest(client.client_secret);
  }
  return { ...client, metadata } as OAuth2Client;
}

/** Hydra pages by token; the next page is announced in the Link header. */
async function listAllPages(api: OAuth2Api): Promise<OAuth2Client[]> {
  const clients: OAuth2Client[] = [];
  let pageToken: string | undefined;
  for (;;) {
    const response = await api.listOAuth2Clients({ pageSize: PAGE_SIZE, pageToken });
    clients.push(...response.data);
    pageToken = nextPageToken(String(response.headers.link ?? ''));
    if (!pageToken || response.data.length === 0) return clients;
  }
}

export function nextPageToken(link: string): string | undefined {
  for (const part of link.split(',')) {
    const match = /<([^>]+)>\s*;\s*rel="next"/.exec(part);
    if (!match?.[1]) continue;
    return new URL(match[1], 'http://link.invalid').searchParams.get('page_token') ?? undefined;
  }
  return undefined;
}

function translateError(adminUrl: string, action: string, error: unknown): Error {
  if (!isAxiosError(error)) return error as Error;
  const response = error.response;
  if (!response) return new HydraUnreachableError(adminUrl, error.code ?? error.message);
  if (response.status === 404) {
    const id = /client (\S+)$/.exec(action)?.[1];
    if (id) return new ClientNotFoundError(id);
  }
  return new HydraRejectedError(action, response.status, hydraErrorText(response.data));
}

function hydraErrorText(body: unknown): string {
  if (typeof body !== 'object' || body === null) return String(body ?? '');
  const { error, error_description: description } = body as Record<string, unknown>;
  return [error, description].filter((part) => typeof part === 'string').join(': ');
}
