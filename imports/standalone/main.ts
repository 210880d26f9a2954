import { parseArgs } from 'node:util';
import { SettingsError } from '../../packages/hydra-oauth/lib';
import { HostConfigError, readHostConfig } from './config';
import { startStandalone } from './server';

/**
 * `tsx imports/standalone/main.ts [--settings settings.json]`: the identity provider without
 * Meteor. A bad setting stops start-up here with the setting's path, before anything listens.
 */
async function main() {
  const { values } = parseArgs({ options: { settings: { type: 'string' } } });
  const config = readHostConfig(process.env, values.settings);
  const running = await startStandalone(config);
  console.log(`identity provider listening on ${running.url}`);

  const stop = () => {
    running.close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

main().catch((error: unknown) => {
  if (error instanceof SettingsError || error instanceof HostConfigError) {
    console.error(error.message);
  } else {
    console.error('identity provider failed to start:', error instanceof Error ? error.message : error);
  }
  process.exit(1);
});
