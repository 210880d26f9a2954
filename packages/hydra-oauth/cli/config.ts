import { readFileSync } from 'node:fs';

import { loadSettings, packageBlock, type HydraOAuthSettings } from '../lib/settings';
import { UsageError } from './exit';

type Environment = Record<string, string | undefined>;

/**
 * Reads the app's settings as the app does: a Meteor settings.json (`--settings`, else
 * METEOR_SETTINGS), then the same environment overrides (HYDRA_ADMIN_URL, ...).
 */
export function readAppSettings(file: string | undefined, env: Environment): HydraOAuthSettings {
  return loadSettings(packageBlock(readMeteorSettings(file, env)), env);
}

function readMeteorSettings(file: string | undefined, env: Environment): unknown {
  if (file) return readJsonFile(file);
  if (env.METEOR_SETTINGS) return parseJson(env.METEOR_SETTINGS, 'METEOR_SETTINGS');
  throw new UsageError("no settings: pass --settings FILE (the app's settings.json) or set METEOR_SETTINGS");
}

export function readJsonFile(file: string): unknown {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new UsageError(`${file} cannot be read (${(error as Error).message})`);
  }
  return parseJson(text, file);
}

function parseJson(text: string, source: string): unknown {
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new UsageError(`${source} is not valid JSON: ${(error as Error).message}`);
  }
}

/**
 * The admin URL for the clients commands: `--admin-url`, else HYDRA_ADMIN_URL, else the
 * settings file. Only the admin URL is needed, so the rest of the settings is not required.
 */
export function adminUrlFrom(
  options: { adminUrl?: string; settings?: string },
  env: Environment,
): string {
  const url = options.adminUrl ?? env.HYDRA_ADMIN_URL ?? adminUrlInSettings(options.settings);
  if (!url) {
    throw new UsageError('no admin URL: pass --admin-url, set HYDRA_ADMIN_URL or --settings');
  }
  if (!URL.canParse(url)) throw new UsageError(`admin URL is not a URL: ${url}`);
  return url;
}

function adminUrlInSettings(file: string | undefined): string | undefined {
  if (!file) return undefined;
  const block = packageBlock(readJsonFile(file)) as { hydra?: { adminUrl?: unknown } };
  const url = block.hydra?.adminUrl;
  return typeof url === 'string' ? url : undefined;
}
