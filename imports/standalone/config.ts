import { readFileSync } from 'node:fs';
import { loadSettings, packageBlock, type HydraOAuthSettings } from '../../packages/hydra-oauth/lib';

export interface HostConfig {
  settings: HydraOAuthSettings;
  mongoUrl: string;
  port: number;
  host: string;
  /** `MAIL_URL`: SMTP for reset and verification mail. */
  mailUrl?: string;
  /** `MAIL_DIR`: without `MAIL_URL`, mail is written here as `.eml` files instead. */
  mailDir?: string;
}

export class HostConfigError extends Error {
  override name = 'HostConfigError';
}

type Environment = Record<string, string | undefined>;

/**
 * Reads configuration the way a Meteor app does: `METEOR_SETTINGS` (JSON) or a settings file,
 * `MONGO_URL` for the users' database, `PORT` and `BIND_IP` for the listener.
 */
export function readHostConfig(env: Environment, settingsFile?: string): HostConfig {
  const meteorSettings = readMeteorSettings(env, settingsFile);
  const settings = loadSettings(packageBlock(meteorSettings), env);
  const mongoUrl = env.MONGO_URL;
  if (!mongoUrl) throw new HostConfigError('MONGO_URL is not set (the users database)');
  return {
    settings,
    mongoUrl,
    port: parsePort(env.PORT ?? '3000'),
    host: env.BIND_IP ?? '127.0.0.1',
    mailUrl: env.MAIL_URL || undefined,
    mailDir: env.MAIL_DIR || undefined,
  };
}

function readMeteorSettings(env: Environment, settingsFile?: string): unknown {
  if (settingsFile) return parseJson(readFileSync(settingsFile, 'utf8'), settingsFile);
  if (env.METEOR_SETTINGS) return parseJson(env.METEOR_SETTINGS, 'METEOR_SETTINGS');
  return {};
}

function parseJson(text: string, source: string): unknown {
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new HostConfigError(`${source} is not valid JSON: ${(error as Error).message}`);
  }
}

function parsePort(raw: string): number {
  const port = Number(raw);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new HostConfigError(`PORT must be a port number, got ${JSON.stringify(raw)}`);
  }
  return port;
}
