import type { ComponentType } from 'react';
import { renderToString } from 'react-dom/server';
import { type Components, ComponentsProvider } from './components';
import type { Messages } from './messages';
import {
  type HydrationState,
  resolveComponents,
  resolveMessages,
  ROOT_ELEMENT_ID,
  type ScreenName,
  STATE_ELEMENT_ID,
  type UiOverrides,
} from './registry';
import { defaultStylesheet } from './styles';

export type { UiOverrides };

export interface Ui {
  components: Components;
  messages: Messages;
  stylesheet: string;
  /** A whole HTML page for one screen; `props` must be plain data (they travel as JSON). */
  page(screen: ScreenName, title: string, props: object): string;
}

export interface UiOptions {
  productName: string;
  stylesheetHref: string;
  /** The browser bundle that hydrates the screens; without one the pages work without script. */
  scriptHref?: string;
  overrides?: UiOverrides;
}

export function createUi(options: UiOptions): Ui {
  const components = resolveComponents(options.overrides);
  const messages = resolveMessages(options.overrides);
  const stylesheet = defaultStylesheet + (options.overrides?.stylesheet ?? '');

  function page(screen: ScreenName, title: string, props: object): string {
    const { Layout, Card } = components;
    const Screen = components[screen] as unknown as ComponentType<Record<string, unknown>>;
    const data = withoutMessages(props);
    const state: HydrationState = { screen, productName: options.productName, props: data };
    const body = renderToString(
      <Layout title={title} productName={options.productName} stylesheetHref={options.stylesheetHref}>
        <div id={ROOT_ELEMENT_ID}>
          <ComponentsProvider value={components}>
            <Card productName={options.productName}>
              <Screen {...data} messages={messages} />
            </Card>
          </ComponentsProvider>
        </div>
        {options.scriptHref ? (
          <>
            <script
              type="application/json"
              id={STATE_ELEMENT_ID}
              dangerouslySetInnerHTML={{ __html: serializeState(state) }}
            />
            <script src={options.scriptHref} defer />
          </>
        ) : null}
      </Layout>,
    );
    return `<!doctype html>${body}`;
  }

  return { components, messages, stylesheet, page };
}

/** Messages hold functions and are rebuilt in the browser from the same overrides. */
function withoutMessages(props: object): Record<string, unknown> {
  const { messages: _ignored, ...data } = props as Record<string, unknown>;
  return data;
}

/** JSON inside a script element: `<` is escaped so no value can close the element early. */
function serializeState(state: HydrationState): string {
  return JSON.stringify(state)
    .replace(/</g, '\\u003c')
    .replace(/\u2028/g, '\\u2028')
    .replace(/\u2029/g, '\\u2029');
}
