/**
 * Rate limits for sign-in, sign-up and forgot-password, kept by rate-limiter-flexible in a
 * store every instance shares: a collection in the app's MongoDB. The in-memory store exists
 * for unit tests only; one process's memory would let each instance count on its own.
 */
import { createHash } from 'node:crypto';

import type { Db } from 'mongodb';
import {
  RateLimiterMemory,
  RateLimiterMongo,
  RateLimiterRes,
  type RateLimiterAbstract,
} from 'rate-limiter-flexible';

import { log } from '../log';
import type { HydraOAuthSettings, RateLimitName } from '../settings/schema';

export type RateDecision = { allowed: true } | { allowed: false; retryAfterSeconds: number };

export interface RateLimits {
  /** Counts one attempt against `key` and says whether it is within the limit. */
  consume(rule: RateLimitName, key: string): Promise<RateDecision>;
  /** Whether one more attempt would be allowed, without counting one. */
  peek(rule: RateLimitName, key: string): Promise<RateDecision>;
  /** Forgets the attempts against `key` (a successful sign-in clears its failures). */
  reset(rule: RateLimitName, key: string): Promise<void>;
}

export type RateLimitStore = { kind: 'mongo'; db: Db; collection?: string } | { kind: 'memory' };

export const RATE_LIMIT_COLLECTION = 'hydra_oauth_rate_limits';

const RULES: readonly RateLimitName[] = [
  'loginFailures',
  'signUp',
  'forgotPassword',
  'forgotPasswordPerIp',
];

/** A counter that reached `points` allows no further attempt until its window ends. */
export function decideAfterConsume(consumedPoints: number, points: number, msBeforeNext: number) {
  return consumedPoints <= points ? allowed() : denied(msBeforeNext);
}

/** Before an attempt: allowed while fewer than `points` were counted in the window. */
export function decideBeforeAttempt(consumedPoints: number, points: number, msBeforeNext: number) {
  return consumedPoints < points ? allowed() : denied(msBeforeNext);
}

function allowed(): RateDecision {
  return { allowed: true };
}

function denied(msBeforeNext: number): RateDecision {
  return { allowed: false, retryAfterSeconds: Math.max(1, Math.ceil(msBeforeNext / 1000)) };
}

/**
 * Keys name people (an address, an IP); only their SHA-256 is stored, so the counters
 * collection holds no personal data of its own.
 */
export function storedKey(key: string): string {
  return createHash('sha256').update(key).digest('base64url');
}

export async function createRateLimits(
  limits: HydraOAuthSettings['rateLimits'],
  store: RateLimitStore,
): Promise<RateLimits> {
  if (store.kind === 'mongo') await ensureCounterIndexes(store.db, collectionOf(store));
  const limiters = new Map<RateLimitName, RateLimiterAbstract>();
  for (const rule of RULES) limiters.set(rule, makeLimiter(rule, limits[rule], store));

  const limiterOf = (rule: RateLimitName) => limiters.get(rule)!;
  return {
    async consume(rule, key) {
      const { points } = limits[rule];
      try {
        const res = await limiterOf(rule).consume(storedKey(key));
        return decideAfterConsume(res.consumedPoints, points, res.msBeforeNext);
      } catch (rejection) {
        // The library rejects with its result object when the limit is passed, with an Error
        // when the store failed; only the first is a decision.
        if (!(rejection instanceof RateLimiterRes)) throw rejection;
        log.http('rate limited rule=%s', rule);
        return decideAfterConsume(rejection.consumedPoints, points, rejection.msBeforeNext);
      }
    },
    async peek(rule, key) {
      const res = await limiterOf(rule).get(storedKey(key));
      if (res === null) return allowed();
      return decideBeforeAttempt(res.consumedPoints, limits[rule].points, res.msBeforeNext);
    },
    async reset(rule, key) {
      await limiterOf(rule).delete(storedKey(key));
    },
  };
}

function collectionOf(store: { collection?: string }): string {
  return store.collection ?? RATE_LIMIT_COLLECTION;
}

function makeLimiter(
  rule: RateLimitName,
  limit: { points: number; seconds: number },
  store: RateLimitStore,
): RateLimiterAbstract {
  const options = { keyPrefix: `hydra-oauth:${rule}`, points: limit.points, duration: limit.seconds };
  if (store.kind === 'memory') return new RateLimiterMemory(options);
  return new RateLimiterMongo({
    ...options,
    storeClient: store.db,
    tableName: collectionOf(store),
    // Created below instead: the library's own attempt logs an error on FerretDB.
    disableIndexesCreation: true,
  });
}

/**
 * The unique index on `key` is what makes counting correct across instances (a second
 * upsert for the same key fails and is retried as an update). The TTL index only tidies up:
 * FerretDB 1.24 does not implement `expireAfterSeconds`, and there an expired counter stays
 * until its key is counted again, when the library overwrites it.
 */
export async function ensureCounterIndexes(db: Db, collection: string): Promise<void> {
  const counters = db.collection(collection);
  await counters.createIndex({ key: 1 }, { unique: true });
  try {
    await counters.createIndex({ expire: -1 }, { expireAfterSeconds: 0 });
  } catch (error) {
    if ((error as { code?: unknown }).code !== NOT_IMPLEMENTED) throw error;
    log.http('ttl index not supported collection=%s (expired counters stay until reused)', collection);
  }
}

const NOT_IMPLEMENTED = 238;
