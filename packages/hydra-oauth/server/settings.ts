import { Meteor } from 'meteor/meteor';

import { loadSettings, packageBlock, type HydraOAuthSettings } from '../lib';

/**
 * The package's options from `Meteor.settings.packages["demand:hydra-oauth"]`, checked by the
 * core's schema. A bad value throws the core's `SettingsError`, which names the dotted path;
 * thrown while the package loads, it stops the Meteor server before it listens.
 */
export function readPackageSettings(
  env: Record<string, string | undefined> = process.env,
): HydraOAuthSettings {
  return loadSettings(packageBlock(Meteor.settings), env);
}
