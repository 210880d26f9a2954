import { useId } from 'react';
import { type ClientView, HiddenFields, useComponents, useFormCheck } from './components';
import type { Messages } from './messages';

/** Sign-up, reset and verification screens; registered in `defaultComponents` like the rest. */

export interface SignUpPageProps {
  action: string;
  challenge: string;
  csrfToken: string;
  messages: Messages;
  client: ClientView;
  minPasswordLength: number;
  /** Back to the password form of the same challenge. */
  signInUrl: string;
  email?: string;
  error?: string;
}

export interface ForgotPasswordPageProps {
  action: string;
  /** Empty when the page was opened outside a sign-in. */
  challenge: string;
  csrfToken: string;
  messages: Messages;
  signInUrl?: string;
  email?: string;
  error?: string;
}

export interface ResetPasswordPageProps {
  action: string;
  token: string;
  csrfToken: string;
  messages: Messages;
  minPasswordLength: number;
  error?: string;
}

export interface NoticePageProps {
  title: string;
  lead: string;
  messages: Messages;
  linkUrl?: string;
  linkLabel?: string;
  /** Names the notice for tests and styling, e.g. `forgot-sent`. */
  kind: string;
}

/**
 * Checked in the browser before a round trip, with the server's own rules and words; the
 * server checks the same again.
 */
function newPasswordProblem(form: HTMLFormElement, m: Messages, min: number): string | undefined {
  const data = new FormData(form);
  const password = String(data.get('password') ?? '');
  if (password.length < min) return m.passwordTooShort(min);
  if (password !== String(data.get('confirmation') ?? '')) return m.passwordMismatch;
  return undefined;
}

function ErrorLine({ id, error }: { id: string; error?: string }) {
  return (
    <p className="ho-error" role="alert" id={id} data-testid="form-error" hidden={!error}>
      {error ?? ''}
    </p>
  );
}

function NewPasswordFields(props: { messages: Messages; invalid: boolean; min: number }) {
  const { PasswordField: Password } = useComponents();
  const hintId = useId();
  const { messages: m } = props;
  return (
    <>
      <Password
        messages={m}
        invalid={props.invalid}
        label={m.newPasswordLabel}
        autoComplete="new-password"
        minLength={props.min}
        describedBy={hintId}
      />
      <p className="ho-hint" id={hintId}>{m.passwordHint(props.min)}</p>
      <Password
        messages={m}
        invalid={props.invalid}
        id="confirmation"
        label={m.confirmPasswordLabel}
        autoComplete="new-password"
        minLength={props.min}
      />
    </>
  );
}

/** The e-mail input of the sign-up and forgot-password forms, tied to the form's error line. */
function EmailField(props: { label: string; value?: string; error?: string; errorId: string }) {
  return (
    <>
      <label htmlFor="email">{props.label}</label>
      <input
        id="email"
        name="email"
        type="email"
        autoComplete="email"
        autoCapitalize="none"
        spellCheck={false}
        required
        autoFocus
        maxLength={320}
        defaultValue={props.value ?? ''}
        aria-invalid={props.error ? true : undefined}
        aria-describedby={props.error ? props.errorId : undefined}
      />
    </>
  );
}

export function SignUpPage(props: SignUpPageProps) {
  const { messages: m } = props;
  const { error, errorId, hydrated, onSubmit: check } = useFormCheck(props.error, (form) =>
    newPasswordProblem(form, m, props.minPasswordLength),
  );
  return (
    <>
      <h1>{m.signUpTitle}</h1>
      <p className="ho-lead">{m.signUpLead(props.client.name)}</p>
      <ErrorLine id={errorId} error={error} />
      <form
        method="post"
        action={props.action}
        className="ho-form"
        data-testid="sign-up-form"
        onSubmit={check}
        noValidate={hydrated}
      >
        <HiddenFields challenge={props.challenge} csrfToken={props.csrfToken} />
        <EmailField label={m.emailLabel} value={props.email} error={error} errorId={errorId} />
        <NewPasswordFields messages={m} invalid={Boolean(error)} min={props.minPasswordLength} />
        <div className="ho-actions">
          <button type="submit" className="ho-primary">{m.signUpButton}</button>
        </div>
      </form>
      <p className="ho-links">
        <a href={props.signInUrl} data-testid="sign-in-link">{m.haveAccountLink}</a>
      </p>
    </>
  );
}

export function ForgotPasswordPage(props: ForgotPasswordPageProps) {
  const { messages: m } = props;
  const errorId = useId();
  return (
    <>
      <h1>{m.forgotTitle}</h1>
      <p className="ho-lead">{m.forgotLead}</p>
      <ErrorLine id={errorId} error={props.error} />
      <form method="post" action={props.action} className="ho-form" data-testid="forgot-form">
        <HiddenFields challenge={props.challenge} csrfToken={props.csrfToken} />
        <EmailField
          label={m.emailLabel}
          value={props.email}
          error={props.error}
          errorId={errorId}
        />
        <div className="ho-actions">
          <button type="submit" className="ho-primary">{m.forgotButton}</button>
        </div>
      </form>
      {props.signInUrl ? (
        <p className="ho-links">
          <a href={props.signInUrl} data-testid="sign-in-link">{m.backToSignIn}</a>
        </p>
      ) : null}
    </>
  );
}

export function ResetPasswordPage(props: ResetPasswordPageProps) {
  const { messages: m } = props;
  const { error, errorId, hydrated, onSubmit: check } = useFormCheck(props.error, (form) =>
    newPasswordProblem(form, m, props.minPasswordLength),
  );
  return (
    <>
      <h1>{m.resetTitle}</h1>
      <ErrorLine id={errorId} error={error} />
      <form
        method="post"
        action={props.action}
        className="ho-form"
        data-testid="reset-form"
        onSubmit={check}
        noValidate={hydrated}
      >
        <input type="hidden" name="token" value={props.token} />
        <input type="hidden" name="csrf_token" value={props.csrfToken} />
        <NewPasswordFields messages={m} invalid={Boolean(error)} min={props.minPasswordLength} />
        <div className="ho-actions">
          <button type="submit" className="ho-primary">{m.resetButton}</button>
        </div>
      </form>
    </>
  );
}

export function NoticePage(props: NoticePageProps) {
  return (
    <>
      <h1>{props.title}</h1>
      <p className="ho-lead" data-testid="notice" data-kind={props.kind}>{props.lead}</p>
      {props.linkUrl ? (
        <p>
          <a className="ho-button" href={props.linkUrl} data-testid="notice-link">
            {props.linkLabel}
          </a>
        </p>
      ) : null}
    </>
  );
}
