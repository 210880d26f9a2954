import { type Components, defaultComponents } from './components';
import { defaultMessages, type Messages } from './messages';

/**
 * What a host may change about the screens. The same object must reach the server render and
 * the browser bundle, so a host keeps it in one module that both import.
 */
export interface UiOverrides {
  /** Replace any component by name: a whole screen, the card, the brand, the password field. */
  components?: Partial<Components>;
  /** Reword any text; nested catalogues (scopes, errors) merge entry by entry. */
  messages?: Partial<Omit<Messages, 'scopes' | 'errors' | 'mail'>> & {
    scopes?: Record<string, string>;
    errors?: Partial<Messages['errors']>;
    mail?: Partial<Messages['mail']>;
  };
  /** CSS appended after the default stylesheet, typically custom-property overrides. */
  stylesheet?: string;
}

export function resolveComponents(overrides?: UiOverrides): Components {
  return { ...defaultComponents, ...overrides?.components };
}

export function resolveMessages(overrides?: UiOverrides): Messages {
  const changed = overrides?.messages ?? {};
  return {
    ...defaultMessages,
    ...changed,
    scopes: { ...defaultMessages.scopes, ...changed.scopes },
    errors: { ...defaultMessages.errors, ...changed.errors },
    mail: { ...defaultMessages.mail, ...changed.mail },
  } as Messages;
}

/** The screens that can be rendered and hydrated, by name. */
export type ScreenName =
  | 'LoginPage'
  | 'ConsentPage'
  | 'LogoutPage'
  | 'ErrorPage'
  | 'SignUpPage'
  | 'ForgotPasswordPage'
  | 'ResetPasswordPage'
  | 'NoticePage';

/** The state the server hands the browser bundle inside the page. */
export interface HydrationState {
  screen: ScreenName;
  productName: string;
  props: Record<string, unknown>;
}

export const STATE_ELEMENT_ID = 'ho-state';
export const ROOT_ELEMENT_ID = 'ho-root';
