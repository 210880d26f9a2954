import type { ComponentType } from 'react';
import { hydrateRoot } from 'react-dom/client';
import { ComponentsProvider } from './components';
import {
  type HydrationState,
  resolveComponents,
  resolveMessages,
  ROOT_ELEMENT_ID,
  STATE_ELEMENT_ID,
  type UiOverrides,
} from './registry';

/**
 * Browser entry: hydrates the screen the server rendered, with the same overrides, so inline
 * validation and the password toggle come alive. Does nothing on a page without a screen.
 */
export function hydrateScreen(overrides?: UiOverrides): void {
  const root = document.getElementById(ROOT_ELEMENT_ID);
  const stateElement = document.getElementById(STATE_ELEMENT_ID);
  if (!root || !stateElement?.textContent) return;

  const state = JSON.parse(stateElement.textContent) as HydrationState;
  const components = resolveComponents(overrides);
  const messages = resolveMessages(overrides);
  const Screen = components[state.screen] as unknown as ComponentType<Record<string, unknown>>;
  const { Card } = components;
  hydrateRoot(
    root,
    <ComponentsProvider value={components}>
      <Card productName={state.productName}>
        <Screen {...state.props} messages={messages} />
      </Card>
    </ComponentsProvider>,
  );
}
