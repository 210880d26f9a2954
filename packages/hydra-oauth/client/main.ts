/**
 * The package's client entry. The identity provider's screens are rendered on the server; in
 * a browser that loaded the app's bundle, this hydrates the screen on the page, with the same
 * overrides the server was given (`configureHydraOAuthClient`), and does nothing elsewhere.
 */
import { Meteor } from 'meteor/meteor';

import { hydrateScreen } from '../lib/ui/hydrate';
import type { UiOverrides } from '../lib/ui/registry';

export {
  resolveComponents,
  resolveMessages,
  type HydrationState,
  type ScreenName,
  type UiOverrides,
} from '../lib/ui/registry';
export { defaultComponents, type Components } from '../lib/ui/components';
export { hydrateScreen };

let overrides: UiOverrides | undefined;

/** Call from the app's client code at load time, with the object its server code passes. */
export function configureHydraOAuthClient(next: UiOverrides): void {
  overrides = next;
}

Meteor.startup(() => hydrateScreen(overrides));
