import type { OAuth2Client } from '@ory/hydra-client';

import type { DeclaredClient } from '../clients/fields';
import type { HydraOAuthSettings } from '../settings';

/**
 * What the storefront (the relying party) believes, as it would send it to Hydra. Only the
 * client id and base URL are needed; the rest defaults to what the example storefront does.
 */
export interface StorefrontView {
  clientId: string;
  baseUrl: string;
  /** Hydra's URL as the storefront knows it: the browser is sent there to sign in. */
  issuer?: string;
  redirectUri: string;
  postLogoutRedirectUri?: string;
  tokenEndpointAuthMethod: string;
  scopes: string[];
}

/** Everything one doctor run looks at, gathered before any check runs. */
export interface DoctorInput {
  settings: HydraOAuthSettings;
  /** Where browsers reach this identity provider from outside, when it has such an address. */
  providerUrl?: string;
  declared?: DeclaredClient[];
  storefront?: StorefrontView;
}

/** Facts fetched from Hydra once and shared by the checks that need them. */
export interface HydraFacts {
  adminAnswers: boolean;
  publicAnswers: boolean;
  version?: string;
  /** From Hydra's discovery document: what Hydra puts in tokens and sends browsers to. */
  issuer?: string;
  /** Registered clients by id, for the ids the checks care about. */
  clients: Map<string, OAuth2Client>;
}

export interface DoctorContext {
  input: DoctorInput;
  facts: HydraFacts;
}

const STOREFRONT_DEFAULTS = {
  callbackPath: '/callback',
  signedOutPath: '/signed-out',
  tokenEndpointAuthMethod: 'client_secret_basic',
  scopes: ['openid', 'email', 'profile', 'offline_access'],
};

/**
 * Reads a storefront description (the JSON the operator passes with `--storefront`). Unknown
 * keys are refused so a typo does not silently fall back to a default.
 */
export function storefrontView(raw: unknown): StorefrontView {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    throw new StorefrontViewError('', 'expected an object');
  }
  const entry = raw as Record<string, unknown>;
  const allowed = [
    'clientId',
    'baseUrl',
    'issuer',
    'redirectUri',
    'postLogoutRedirectUri',
    'tokenEndpointAuthMethod',
    'scopes',
  ];
  for (const key of Object.keys(entry)) {
    if (!allowed.includes(key)) throw new StorefrontViewError(key, 'not a known key (a typo?)');
  }
  const baseUrl = requiredString(entry, 'baseUrl');
  const defaultUrl = (path: string) => new URL(path, baseUrl).href;
  if (!URL.canParse(baseUrl)) throw new StorefrontViewError('baseUrl', 'not an absolute URL');
  return {
    clientId: requiredString(entry, 'clientId'),
    baseUrl,
    issuer: optionalString(entry, 'issuer'),
    redirectUri:
      optionalString(entry, 'redirectUri') ?? defaultUrl(STOREFRONT_DEFAULTS.callbackPath),
    postLogoutRedirectUri:
      optionalString(entry, 'postLogoutRedirectUri') ??
      defaultUrl(STOREFRONT_DEFAULTS.signedOutPath),
    tokenEndpointAuthMethod:
      optionalString(entry, 'tokenEndpointAuthMethod') ??
      STOREFRONT_DEFAULTS.tokenEndpointAuthMethod,
    scopes: optionalList(entry, 'scopes') ?? STOREFRONT_DEFAULTS.scopes,
  };
}

export class StorefrontViewError extends Error {
  override name = 'StorefrontViewError';
  constructor(
    readonly key: string,
    readonly problem: string,
  ) {
    super(key ? `storefront.${key}: ${problem}` : `storefront: ${problem}`);
  }
}

function requiredString(entry: Record<string, unknown>, key: string): string {
  const value = optionalString(entry, key);
  if (value === undefined) throw new StorefrontViewError(key, 'required, a non-empty string');
  return value;
}

function optionalString(entry: Record<string, unknown>, key: string): string | undefined {
  const value = entry[key];
  if (value === undefined) return undefined;
  if (typeof value !== 'string' || value === '') {
    throw new StorefrontViewError(key, 'expected a non-empty string');
  }
  return value;
}

function optionalList(entry: Record<string, unknown>, key: string): string[] | undefined {
  const value = entry[key];
  if (value === undefined) return undefined;
  if (!Array.isArray(value) || !value.every((item) => typeof item === 'string')) {
    throw new StorefrontViewError(key, 'expected a list of strings');
  }
  return value as string[];
}
