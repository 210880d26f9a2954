import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { MongoClient } from 'mongodb';
import { createRateLimits } from '../../packages/hydra-oauth/lib';
import { createMongoAccounts } from '../../packages/hydra-oauth/lib/accounts/mongoAccounts';
import { createStandaloneApp } from './app';
import { buildClientBundle } from './bundle';
import { createStandaloneMail } from './mail';
import { demoUiOverrides } from './ui';
import type { HostConfig } from './config';

export interface RunningStandalone {
  url: string;
  close(): Promise<void>;
}

/** Connects to the users' database, then serves the provider; resolves once it listens. */
export async function startStandalone(config: HostConfig): Promise<RunningStandalone> {
  const clientScript = await buildClientBundle();
  const client = new MongoClient(config.mongoUrl, { serverSelectionTimeoutMS: 10_000 });
  await client.connect();
  const accounts = createMongoAccounts(client.db());
  // Counters live beside the users, so every instance on this database shares them.
  const rateLimits = await createRateLimits(config.settings.rateLimits, {
    kind: 'mongo',
    db: client.db(),
  });
  const mail = createStandaloneMail({
    from: config.settings.mail.from,
    mailUrl: config.mailUrl,
    dropDir: config.mailDir,
  });
  const app = createStandaloneApp({
    settings: config.settings,
    accounts,
    ui: demoUiOverrides,
    clientScript,
    mail,
    rateLimits,
  });

  let server: Server;
  try {
    server = await listen(app, config.port, config.host);
  } catch (error) {
    await client.close();
    throw error;
  }
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://${config.host}:${port}`,
    async close() {
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
      await client.close();
    },
  };
}

function listen(app: ReturnType<typeof createStandaloneApp>, port: number, host: string) {
  return new Promise<Server>((resolve, reject) => {
    const server = app.listen(port, host, (error?: Error) => (error ? reject(error) : resolve(server)));
  });
}
