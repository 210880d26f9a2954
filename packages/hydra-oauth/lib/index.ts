export { createProvider, type Provider, type ProviderOptions, type MountedRoute } from './provider';
export { loadSettings, packageBlock, SettingsError, SETTINGS_KEY, SETTINGS_PATH } from './settings';
export type { HydraOAuthSettings } from './settings';
export type { AccountsPort, AccountUser, UserEmail } from './accounts/port';
export type { CoreHandler, CoreRequest, CoreResponse } from './http/types';
export type { UiOverrides } from './ui/render';
export * from './flows/errors';
export * from './tokens';
export { revokeUserSessions } from './hydra/sessions';
