export { loadSettings, packageBlock, SettingsError } from './load';
export { settingsSchema, SETTINGS_KEY, SETTINGS_PATH, type HydraOAuthSettings } from './schema';
