/**
 * The demo demand app's client: a sign-in page of the app's own, for the path where a host app
 * signs users in with `Meteor.loginWithPassword` and then hands Hydra's login challenge to the
 * package's method. Hydra's default login URL stays the package's server-rendered page.
 */
import { Meteor } from 'meteor/meteor';
import { type FormEvent, useState } from 'react';
import { createRoot } from 'react-dom/client';

/** The package's method; see packages/hydra-oauth/server/method.ts. */
const ACCEPT_LOGIN_METHOD = 'hydraOAuth.acceptLogin';

function loginWithPassword(identifier: string, password: string): Promise<void> {
  return new Promise((resolve, reject) => {
    Meteor.loginWithPassword(identifier, password, (error) => (error ? reject(error) : resolve()));
  });
}

async function signInAndContinue(challenge: string, identifier: string, password: string) {
  await loginWithPassword(identifier, password);
  const { redirectTo } = (await Meteor.callAsync(ACCEPT_LOGIN_METHOD, challenge, false)) as {
    redirectTo: string;
  };
  window.location.assign(redirectTo);
}

function SignInPage({ challenge }: { challenge: string | null }) {
  const [failed, setFailed] = useState(false);

  if (!challenge) return <p>Open the storefront and choose “Sign in” to start.</p>;

  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    signInAndContinue(challenge, String(form.get('identifier')), String(form.get('password')))
      .catch(() => setFailed(true));
  };

  return (
    <form onSubmit={submit}>
      <label htmlFor="identifier">E-mail or username</label>
      <input id="identifier" name="identifier" autoComplete="username" required />
      <label htmlFor="password">Password</label>
      <input
        id="password"
        name="password"
        type="password"
        autoComplete="current-password"
        required
      />
      {failed ? <p role="alert">That e-mail or username and password do not match.</p> : null}
      <button type="submit">Sign in</button>
    </form>
  );
}

Meteor.startup(() => {
  const container = document.createElement('main');
  document.body.append(container);
  const challenge = new URLSearchParams(window.location.search).get('login_challenge');
  createRoot(container).render(<SignInPage challenge={challenge} />);
});
