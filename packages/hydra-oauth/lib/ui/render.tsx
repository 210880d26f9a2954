import type { ComponentType, ReactElement } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import { type Components, defaultComponents } from './components';
import { defaultMessages, type Messages } from './messages';
import { defaultStylesheet } from './styles';

export interface UiOverrides {
  /** Replace any screen or the layout by name. */
  components?: Partial<Components>;
  /** Reword any text; nested catalogues (scopes, errors) merge entry by entry. */
  messages?: Partial<Omit<Messages, 'scopes' | 'errors'>> & {
    scopes?: Record<string, string>;
    errors?: Partial<Messages['errors']>;
  };
  /** Extra CSS appended after the default stylesheet, typically custom-property overrides. */
  stylesheet?: string;
}

export interface Ui {
  components: Components;
  messages: Messages;
  stylesheet: string;
  page<P extends object>(
    screen: keyof Omit<Components, 'Layout'>,
    title: string,
    props: P,
  ): string;
}

export function createUi(options: {
  productName: string;
  stylesheetHref: string;
  overrides?: UiOverrides;
}): Ui {
  const components = { ...defaultComponents, ...options.overrides?.components };
  const overriddenMessages = options.overrides?.messages ?? {};
  const messages: Messages = {
    ...defaultMessages,
    ...overriddenMessages,
    scopes: { ...defaultMessages.scopes, ...overriddenMessages.scopes },
    errors: { ...defaultMessages.errors, ...overriddenMessages.errors },
  } as Messages;
  const stylesheet = defaultStylesheet + (options.overrides?.stylesheet ?? '');

  function page<P extends object>(
    screen: keyof Omit<Components, 'Layout'>,
    title: string,
    props: P,
  ): string {
    const Screen = components[screen] as unknown as ComponentType<P>;
    const { Layout } = components;
    const tree: ReactElement = (
      <Layout
        title={title}
        productName={options.productName}
        stylesheetHref={options.stylesheetHref}
      >
        <Screen {...props} />
      </Layout>
    );
    return `<!doctype html>${renderToStaticMarkup(tree)}`;
  }

  return { components, messages, stylesheet, page };
}
