/**
 * Child process of the benchmark: how many password checks per second Meteor's hashing
 * (SHA-256, then bcrypt cost 10) allows on this machine. The native bcrypt runs on libuv's
 * thread pool, whose size (UV_THREADPOOL_SIZE) is fixed when the pool first starts; it has to
 * be set in the environment of a fresh process, which is why this runs as a child.
 *
 *   UV_THREADPOOL_SIZE=<cores> node --import tsx scripts/bench/bcryptCeilingChild.ts <ms> <n>
 */
import { performance } from 'node:perf_hooks';

import {
  hashMeteorPassword,
  verifyMeteorPassword,
} from '../../packages/hydra-oauth/lib/accounts/meteorPassword';

async function main(): Promise<void> {
  const durationMs = Number(process.argv[2] ?? 2000);
  const inFlight = Number(process.argv[3] ?? 4);
  const maxChecks = 100_000;
  const password = 'correct horse battery staple';
  const service = await hashMeteorPassword(password);

  const started = performance.now();
  const deadline = started + durationMs;
  let checks = 0;
  async function lane(): Promise<void> {
    while (performance.now() < deadline && checks < maxChecks) {
      if (!(await verifyMeteorPassword(service, password))) throw new Error('check failed');
      checks += 1;
    }
  }
  await Promise.all(Array.from({ length: inFlight }, lane));
  const elapsedMs = performance.now() - started;
  console.log(JSON.stringify({ checks, elapsedMs, perSecond: (checks * 1000) / elapsedMs }));
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
