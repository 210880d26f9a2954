import { type HydraOAuthSettings, settingsSchema, SETTINGS_KEY, SETTINGS_PATH } from './schema';

/** A bad option; the message names the full dotted path as it appears in settings.json. */
export class SettingsError extends Error {
  override name = 'SettingsError';
  constructor(
    readonly path: string,
    readonly problem: string,
  ) {
    super(`Invalid setting ${path}: ${problem}`);
  }
}

type Environment = Record<string, string | undefined>;

/**
 * Environment variables that replace one option each. Only the values an operator changes per
 * deployment are here; everything else belongs in settings.json.
 */
const ENVIRONMENT_OVERRIDES: ReadonlyArray<{ variable: string; path: string[]; kind: 'string' | 'list' }> = [
  { variable: 'HYDRA_ADMIN_URL', path: ['hydra', 'adminUrl'], kind: 'string' },
  { variable: 'HYDRA_PUBLIC_URL', path: ['hydra', 'publicUrl'], kind: 'string' },
  { variable: 'HYDRA_OAUTH_CSRF_SECRET', path: ['csrf', 'secret'], kind: 'string' },
  { variable: 'HYDRA_OAUTH_TRUSTED_CLIENTS', path: ['trustedClients'], kind: 'list' },
  { variable: 'HYDRA_OAUTH_STOREFRONT_URL', path: ['storefrontUrl'], kind: 'string' },
];

/** Picks the package's block out of a whole Meteor settings object. */
export function packageBlock(meteorSettings: unknown): unknown {
  if (!isRecord(meteorSettings)) return {};
  const packages = meteorSettings.packages;
  if (!isRecord(packages)) return {};
  return packages[SETTINGS_KEY] ?? {};
}

/**
 * Checks the package's options once, at start-up, and returns them with defaults filled in.
 * Throws {@link SettingsError} for the first bad value, so start-up stops with a message that
 * names the setting instead of failing later at the first sign-in.
 */
export function loadSettings(block: unknown, env: Environment = {}): HydraOAuthSettings {
  if (block !== undefined && !isRecord(block)) {
    throw new SettingsError(SETTINGS_PATH, 'expected an object');
  }
  const merged = applyEnvironment(structuredClone(block ?? {}), env);
  const cleaned = settingsSchema.clean(merged, {
    autoConvert: false,
    filter: false,
    trimStrings: false,
    removeEmptyStrings: false,
  });

  const context = settingsSchema.newContext();
  context.validate(cleaned);
  const [first] = context.validationErrors();
  if (first) {
    throw new SettingsError(`${SETTINGS_PATH}.${first.name}`, describeProblem(first, context));
  }
  return cleaned as unknown as HydraOAuthSettings;
}

function describeProblem(
  error: { name: string; type: string; value: unknown },
  context: { keyErrorMessage(key: string): string },
): string {
  const message = context.keyErrorMessage(error.name) || error.type;
  if (error.type === 'keyNotInSchema') return 'not a known option (a typo?)';
  if (error.value === undefined) return message;
  return `${message} (got ${JSON.stringify(error.value)})`;
}

function applyEnvironment(block: Record<string, unknown>, env: Environment) {
  for (const { variable, path, kind } of ENVIRONMENT_OVERRIDES) {
    const raw = env[variable];
    if (raw === undefined || raw === '') continue;
    const value = kind === 'list' ? raw.split(',').map((s) => s.trim()).filter(Boolean) : raw;
    setPath(block, path, value);
  }
  return block;
}

function setPath(target: Record<string, unknown>, path: string[], value: unknown) {
  let node = target;
  for (const key of path.slice(0, -1)) {
    const child = node[key];
    if (!isRecord(child)) node[key] = {};
    node = node[key] as Record<string, unknown>;
  }
  node[path[path.length - 1]!] = value;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
