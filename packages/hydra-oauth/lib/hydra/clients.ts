import { isAxiosError } from 'axios';
import type { OAuth2Api, OAuth2Client } from '@ory/hydra-client';
import { createAdminApi } from './api';

export type { OAuth2Client };

export function createClientsApi(adminUrl: string): OAuth2Api {
  return createAdminApi({ adminUrl, requestTimeout: 10 });
}

/**
 * Registers a client under a fixed id, or replaces it when the id exists, so a restart never
 * leaves a stale registration behind.
 */
export async function upsertClient(api: OAuth2Api, client: OAuth2Client & { client_id: string }) {
  const existing = await api.getOAuth2Client({ id: client.client_id }).then(
    (response) => response.data,
    (error: unknown) => {
      if (isAxiosError(error) && error.response?.status === 404) return undefined;
      throw error;
    },
  );
  if (existing) {
    const { data } = await api.setOAuth2Client({ id: client.client_id, oAuth2Client: client });
    return data;
  }
  const { data } = await api.createOAuth2Client({ oAuth2Client: client });
  return data;
}
