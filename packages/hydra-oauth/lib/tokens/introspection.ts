import { createHash } from 'node:crypto';
import { isAxiosError } from 'axios';
import type { OAuth2Api } from '@ory/hydra-client';
import { LRUCache } from 'lru-cache';
import { IntrospectionUnavailableError } from './errors';

/** What the API needs to know about a token, from Hydra's introspection answer. */
export interface TokenInfo {
  active: boolean;
  subject?: string;
  clientId?: string;
  scopes: string[];
  audience: string[];
  /** Seconds since the epoch. */
  expiresAt?: number;
  /** `access_token` or `refresh_token`. */
  use?: string;
}

export interface TokenIntrospector {
  introspect(token: string): Promise<TokenInfo>;
}

/** Asks Hydra's admin API about every token (RFC 7662). */
export function createHydraIntrospector(api: OAuth2Api): TokenIntrospector {
  return {
    async introspect(token) {
      try {
        const { data } = await api.introspectOAuth2Token({ token });
        return {
          active: data.active === true,
          subject: data.sub,
          clientId: data.client_id,
          scopes: data.scope ? data.scope.split(' ').filter(Boolean) : [],
          audience: data.aud ?? [],
          expiresAt: data.exp,
          use: data.token_use,
        };
      } catch (error) {
        const detail = isAxiosError(error) ? (error.code ?? `status ${error.response?.status}`) : '';
        throw new IntrospectionUnavailableError(`token introspection failed ${detail}`.trim());
      }
    },
  };
}

export interface CacheOptions {
  /** How many tokens to remember at most. */
  maxEntries: number;
  /**
   * The longest a remembered answer is trusted: a revoked token keeps working here for at most
   * this long. Zero turns the cache off.
   */
  maxSeconds: number;
  now?: () => number;
}

/**
 * Remembers Hydra's answers in a bounded LRU (lru-cache), never past the token's own expiry
 * nor past `maxSeconds`. Keys are SHA-256 digests, so the cache holds no usable token.
 */
export function withIntrospectionCache(
  inner: TokenIntrospector,
  options: CacheOptions,
): TokenIntrospector & { size(): number } {
  const now = options.now ?? Date.now;
  const cache = new LRUCache<string, TokenInfo>({
    max: Math.max(1, options.maxEntries),
    ttlAutopurge: false,
    // Read the clock on every lookup: an expiry must hold to the millisecond, not the tick.
    ttlResolution: 0,
    perf: { now },
  });

  return {
    size: () => cache.size,
    async introspect(token) {
      if (options.maxSeconds <= 0) return inner.introspect(token);
      const key = createHash('sha256').update(token).digest('base64url');
      const cached = cache.get(key);
      if (cached) return cached;

      const info = await inner.introspect(token);
      const ttl = cacheLifetimeMs(info, options.maxSeconds, now());
      if (ttl > 0) cache.set(key, info, { ttl });
      return info;
    },
  };
}

/**
 * How long one answer may be reused. An inactive token never becomes active again, so a
 * refusal is kept for the full bound; an active one only until it expires.
 */
export function cacheLifetimeMs(info: TokenInfo, maxSeconds: number, nowMs: number): number {
  const bound = maxSeconds * 1000;
  if (!info.active) return bound;
  if (info.expiresAt === undefined) return 0;
  return Math.max(0, Math.min(bound, info.expiresAt * 1000 - nowMs));
}
