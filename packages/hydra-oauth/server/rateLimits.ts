import { MongoInternals } from 'meteor/mongo';

import { createRateLimits, type HydraOAuthSettings, type RateLimits } from '../lib';

/** Counters in the app's own MongoDB, beside `users`, so every Meteor instance shares them. */
export function createMeteorRateLimits(settings: HydraOAuthSettings): Promise<RateLimits> {
  const { db } = MongoInternals.defaultRemoteCollectionDriver().mongo;
  return createRateLimits(settings.rateLimits, { kind: 'mongo', db });
}
