import type { OAuth2Api } from '@ory/hydra-client';
import { log } from '../log';
import { HydraUnavailableError } from '../flows/errors';

/**
 * Signs a user out everywhere: ends their Hydra login sessions (which also sends back-channel
 * logout to clients that registered for it) and revokes every consent, with the tokens issued
 * under it. The subject must come from an authenticated caller, never from the request itself.
 */
export async function revokeUserSessions(api: OAuth2Api, subject: string): Promise<void> {
  try {
    await api.revokeOAuth2LoginSessions({ subject });
    await api.revokeOAuth2ConsentSessions({ subject, all: true });
  } catch (error) {
    log.hydra('session revocation failed: %s', error instanceof Error ? error.message : error);
    throw new HydraUnavailableError('session revocation failed');
  }
  log.hydra('revoked login and consent sessions of one subject');
}
