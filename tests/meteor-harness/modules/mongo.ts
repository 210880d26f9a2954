import { meteorHarness } from './meteor';

/** `MongoInternals`: the harness's database stands for the app's `MONGO_URL` connection. */
export const MongoInternals = {
  defaultRemoteCollectionDriver: () => ({ mongo: { db: meteorHarness.database() } }),
};
