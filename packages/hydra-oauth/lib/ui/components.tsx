import { createContext, useContext, useEffect, useId, useState, type ReactNode } from 'react';
import type { Messages } from './messages';
import {
  ForgotPasswordPage,
  NoticePage,
  ResetPasswordPage,
  SignUpPage,
} from './accountScreens';

export interface LayoutProps {
  title: string;
  productName: string;
  stylesheetHref: string;
  children: ReactNode;
}

export interface ClientView {
  name: string;
  logoUri?: string;
  policyUri?: string;
  tosUri?: string;
}

export interface FormBase {
  action: string;
  challenge: string;
  csrfToken: string;
  messages: Messages;
}

export interface LoginPageProps extends FormBase {
  client: ClientView;
  identifier?: string;
  error?: string;
  /** Links to self-service, present when the host enabled it. */
  signUpUrl?: string;
  forgotUrl?: string;
}

export interface ScopeView {
  name: string;
  description: string;
}

export interface ConsentPageProps extends FormBase {
  client: ClientView;
  scopes: ScopeView[];
  subjectLabel?: string;
}

export interface LogoutPageProps extends FormBase {
  client?: ClientView;
}

export interface ErrorPageProps {
  status: number;
  message: string;
  restartUrl?: string;
  /** The restart link's text; "Start signing in again" when absent. */
  restartLabel?: string;
  messages: Messages;
}

/** The document around every screen; rendered on the server only. */
export function Layout({ title, productName, stylesheetHref, children }: LayoutProps) {
  return (
    <html lang="en">
      <head>
        <meta charSet="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <title>{`${title} · ${productName}`}</title>
        <link rel="stylesheet" href={stylesheetHref} />
      </head>
      <body>{children}</body>
    </html>
  );
}

/** The shop's name above every screen; the usual first thing a shop replaces. */
export function Brand({ productName }: { productName: string }) {
  return <p className="ho-brand">{productName}</p>;
}

/** The card every screen sits in; part of the hydrated tree, so overrides work in both places. */
export function Card({ productName, children }: { productName: string; children: ReactNode }) {
  const { Brand: BrandComponent } = useComponents();
  return (
    <main className="ho-card">
      <BrandComponent productName={productName} />
      {children}
    </main>
  );
}

export function HiddenFields({ challenge, csrfToken }: { challenge: string; csrfToken: string }) {
  return (
    <>
      <input type="hidden" name="challenge" value={challenge} />
      <input type="hidden" name="csrf_token" value={csrfToken} />
    </>
  );
}

export interface PasswordFieldProps {
  messages: Messages;
  invalid: boolean;
  /** Also the field's name; `password` unless a form has two (the confirmation). */
  id?: string;
  label?: string;
  /** `new-password` on sign-up and reset, so password managers offer to save it. */
  autoComplete?: 'current-password' | 'new-password';
  minLength?: number;
  /** The id of a hint or error element that describes the field. */
  describedBy?: string;
}

/**
 * The password input. After hydration a toggle shows the password in clear text; without
 * JavaScript the field is a plain password input.
 */
export function PasswordField(props: PasswordFieldProps) {
  const { messages: m, invalid, id = 'password' } = props;
  const hydrated = useHydrated();
  const [visible, setVisible] = useState(false);
  return (
    <>
      <label htmlFor={id}>{props.label ?? m.passwordLabel}</label>
      <span className="ho-password">
        <input
          id={id}
          name={id}
          type={visible ? 'text' : 'password'}
          autoComplete={props.autoComplete ?? 'current-password'}
          required
          minLength={props.minLength}
          maxLength={256}
          aria-invalid={invalid ? true : undefined}
          aria-describedby={props.describedBy}
        />
        {hydrated ? (
          <button
            type="button"
            className="ho-toggle"
            aria-controls={id}
            aria-pressed={visible}
            onClick={() => setVisible((shown) => !shown)}
            data-testid={id === 'password' ? 'password-toggle' : `${id}-toggle`}
          >
            {visible ? m.hidePassword : m.showPassword}
          </button>
        ) : null}
      </span>
    </>
  );
}

export function LoginPage(props: LoginPageProps) {
  const { messages: m } = props;
  const { error, errorId, hydrated, onSubmit } = useFormCheck(props.error, (form, event) => {
    const submitter = (event as unknown as { nativeEvent?: SubmitEvent }).nativeEvent?.submitter;
    if (submitter?.getAttribute('value') === 'cancel') return undefined;
    const data = new FormData(form);
    const filled = String(data.get('identifier') ?? '').trim() && String(data.get('password') ?? '');
    return filled ? undefined : m.missingCredentials;
  });
  const { PasswordField: Password } = useComponents();
  return (
    <>
      <h1>{m.signInTitle}</h1>
      <p className="ho-lead">{m.signInLead(props.client.name)}</p>
      <p className="ho-error" role="alert" id={errorId} data-testid="login-error" hidden={!error}>
        {error ?? ''}
      </p>
      <form
        method="post"
        action={props.action}
        className="ho-form"
        data-testid="login-form"
        onSubmit={onSubmit}
        noValidate={hydrated}
      >
        <HiddenFields challenge={props.challenge} csrfToken={props.csrfToken} />
        <label htmlFor="identifier">{m.identifierLabel}</label>
        <input
          id="identifier"
          name="identifier"
          type="text"
          autoComplete="username"
          autoCapitalize="none"
          spellCheck={false}
          required
          autoFocus
          maxLength={320}
          defaultValue={props.identifier ?? ''}
          aria-invalid={error ? true : undefined}
          aria-describedby={error ? errorId : undefined}
        />
        <Password messages={m} invalid={Boolean(error)} />
        <label className="ho-check">
          <input type="checkbox" name="remember" value="1" /> {m.rememberMe}
        </label>
        <div className="ho-actions">
          <button type="submit" name="action" value="sign-in" className="ho-primary">
            {m.signInButton}
          </button>
          <button type="submit" name="action" value="cancel" formNoValidate>
            {m.cancelButton}
          </button>
        </div>
      </form>
      <SelfServiceLinks signUpUrl={props.signUpUrl} forgotUrl={props.forgotUrl} messages={m} />
    </>
  );
}

function SelfServiceLinks(props: { signUpUrl?: string; forgotUrl?: string; messages: Messages }) {
  const { signUpUrl, forgotUrl, messages: m } = props;
  if (!signUpUrl && !forgotUrl) return null;
  return (
    <p className="ho-links">
      {forgotUrl ? <a href={forgotUrl} data-testid="forgot-link">{m.forgotLink}</a> : null}
      {forgotUrl && signUpUrl ? ' · ' : null}
      {signUpUrl ? <a href={signUpUrl} data-testid="sign-up-link">{m.signUpLink}</a> : null}
    </p>
  );
}

export function ConsentPage(props: ConsentPageProps) {
  const { messages: m, client } = props;
  return (
    <>
      {client.logoUri ? <img className="ho-logo" src={client.logoUri} alt="" /> : null}
      <h1>{m.consentTitle(client.name)}</h1>
      {props.subjectLabel ? <p className="ho-lead">{m.consentSignedInAs(props.subjectLabel)}</p> : null}
      <form method="post" action={props.action} className="ho-form" data-testid="consent-form">
        <HiddenFields challenge={props.challenge} csrfToken={props.csrfToken} />
        <fieldset>
          <legend>{m.consentLead}</legend>
          {props.scopes.map((scope) => (
            <label className="ho-check" key={scope.name}>
              <input
                type="checkbox"
                name="scope"
                value={scope.name}
                defaultChecked
                // Always granted (see grantedScopes); shown so the list is complete.
                disabled={scope.name === 'openid'}
              />{' '}
              {scope.description} <code>{scope.name}</code>
            </label>
          ))}
        </fieldset>
        <label className="ho-check">
          <input type="checkbox" name="remember" value="1" /> {m.consentRemember}
        </label>
        <div className="ho-actions">
          <button type="submit" name="action" value="allow" className="ho-primary">
            {m.allowButton}
          </button>
          <button type="submit" name="action" value="deny">
            {m.denyButton}
          </button>
        </div>
      </form>
      <ClientLinks client={client} messages={m} />
    </>
  );
}

function ClientLinks({ client, messages: m }: { client: ClientView; messages: Messages }) {
  if (!client.policyUri && !client.tosUri) return null;
  return (
    <p className="ho-links">
      {client.policyUri ? <a href={client.policyUri}>{m.policyLink}</a> : null}
      {client.policyUri && client.tosUri ? ' · ' : null}
      {client.tosUri ? <a href={client.tosUri}>{m.termsLink}</a> : null}
    </p>
  );
}

export function LogoutPage(props: LogoutPageProps) {
  const { messages: m } = props;
  return (
    <>
      <h1>{m.logoutTitle}</h1>
      {props.client ? <p className="ho-lead">{m.logoutLead(props.client.name)}</p> : null}
      <form method="post" action={props.action} className="ho-form" data-testid="logout-form">
        <HiddenFields challenge={props.challenge} csrfToken={props.csrfToken} />
        <div className="ho-actions">
          <button type="submit" name="action" value="yes" className="ho-primary">
            {m.logoutYes}
          </button>
          <button type="submit" name="action" value="no">
            {m.logoutNo}
          </button>
        </div>
      </form>
    </>
  );
}

export function ErrorPage(props: ErrorPageProps) {
  const { status, message, restartUrl, messages: m } = props;
  return (
    <>
      <h1>{m.errorTitle}</h1>
      <p className="ho-error" role="alert" data-testid="error-message" data-status={status}>
        {message}
      </p>
      {restartUrl ? (
        <p>
          <a href={restartUrl} data-testid="restart">
            {props.restartLabel ?? m.startAgain}
          </a>
        </p>
      ) : null}
    </>
  );
}

export const defaultComponents = {
  Layout,
  Card,
  Brand,
  PasswordField,
  LoginPage,
  ConsentPage,
  LogoutPage,
  ErrorPage,
  SignUpPage,
  ForgotPasswordPage,
  ResetPasswordPage,
  NoticePage,
};
export type Components = typeof defaultComponents;

const ComponentsContext = createContext<Components>(defaultComponents);
export const ComponentsProvider = ComponentsContext.Provider;

/** The components in force, overrides included: screens look up their parts here. */
export function useComponents(): Components {
  return useContext(ComponentsContext);
}

export interface FormSubmitEvent {
  currentTarget: HTMLFormElement;
  preventDefault(): void;
}

/**
 * A form's error line and its check in the browser. `problemOf` runs on submit once hydrated;
 * a problem stops the round trip and is shown (and announced) where the server's would be. The
 * server checks the same again: this only saves the shopper a page load.
 */
export function useFormCheck(
  serverError: string | undefined,
  problemOf: (form: HTMLFormElement, event: FormSubmitEvent) => string | undefined,
) {
  const [clientError, setClientError] = useState<string | undefined>(undefined);
  const errorId = useId();
  const hydrated = useHydrated();
  const onSubmit = (event: FormSubmitEvent) => {
    const problem = problemOf(event.currentTarget, event);
    if (problem) {
      event.preventDefault();
      setClientError(problem);
    }
  };
  return { error: clientError ?? serverError, errorId, hydrated, onSubmit };
}

/** False during the server render and the first browser render, true once hydrated. */
export function useHydrated(): boolean {
  const [hydrated, setHydrated] = useState(false);
  useEffect(() => setHydrated(true), []);
  return hydrated;
}
