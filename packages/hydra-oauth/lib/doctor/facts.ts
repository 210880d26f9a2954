import type { OAuth2Client } from '@ory/hydra-client';

import type { DoctorInput, HydraFacts } from './inputs';
import { ask, NoAnswerError, parseJson } from './http';

/**
 * Asks Hydra once for what several checks need: whether each API answers, the version, the
 * issuer from discovery, and the registration of every client the checks will look at.
 */
export async function gatherFacts(input: DoctorInput): Promise<HydraFacts> {
  const timeoutMs = input.settings.hydra.requestTimeout * 1000;
  const adminUrl = trimSlash(input.settings.hydra.adminUrl);
  const facts: HydraFacts = { adminAnswers: false, publicAnswers: false, clients: new Map() };

  const version = await answerOrUndefined(`${adminUrl}/version`, timeoutMs);
  if (version) {
    facts.adminAnswers = version.status === 200;
    facts.version = stringField(parseJson(version.body), 'version');
  }

  const publicUrl = input.settings.hydra.publicUrl;
  if (publicUrl) {
    const discovery = `${trimSlash(publicUrl)}/.well-known/openid-configuration`;
    const answer = await answerOrUndefined(discovery, timeoutMs);
    facts.publicAnswers = answer?.status === 200;
    facts.issuer = answer ? stringField(parseJson(answer.body), 'issuer') : undefined;
  }

  if (facts.adminAnswers) {
    for (const id of clientIdsOfInterest(input)) {
      const client = await registeredClient(adminUrl, id, timeoutMs);
      if (client) facts.clients.set(id, client);
    }
  }
  return facts;
}

/** The storefront's client first: it is the one whose sign-in the routes probe follows. */
export function clientIdsOfInterest(input: DoctorInput): string[] {
  const ids = [
    ...(input.storefront ? [input.storefront.clientId] : []),
    ...(input.declared ?? []).map((client) => client.client_id),
  ];
  return [...new Set(ids)];
}

async function registeredClient(adminUrl: string, id: string, timeoutMs: number) {
  const url = `${adminUrl}/admin/clients/${encodeURIComponent(id)}`;
  const answer = await answerOrUndefined(url, timeoutMs);
  if (answer?.status !== 200) return undefined;
  return parseJson(answer.body) as OAuth2Client;
}

async function answerOrUndefined(url: string, timeoutMs: number) {
  try {
    return await ask(url, { timeoutMs });
  } catch (error) {
    if (error instanceof NoAnswerError) return undefined;
    throw error;
  }
}

function stringField(value: unknown, key: string): string | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const field = (value as Record<string, unknown>)[key];
  return typeof field === 'string' ? field : undefined;
}

export function trimSlash(url: string): string {
  return url.replace(/\/+$/, '');
}
