import type { ErrorMessageKey } from '../flows/errors';

/** Every text the screens show. A host overrides any entry to reword or translate it. */
export const defaultMessages = {
  signInTitle: 'Sign in',
  signInLead: (client: string) => `to continue to ${client}`,
  identifierLabel: 'E-mail or username',
  passwordLabel: 'Password',
  rememberMe: 'Keep me signed in on this device',
  signInButton: 'Sign in',
  cancelButton: 'Cancel',
  badCredentials: 'That e-mail or username and password do not match.',
  missingCredentials: 'Enter your e-mail or username and your password.',
  consentTitle: (client: string) => `${client} wants to access your account`,
  consentLead: 'Choose what you allow:',
  consentSignedInAs: (who: string) => `Signed in as ${who}`,
  consentRemember: 'Remember this choice',
  allowButton: 'Allow',
  denyButton: 'Deny',
  policyLink: 'Privacy policy',
  termsLink: 'Terms of service',
  logoutTitle: 'Sign out?',
  logoutLead: (client: string) => `${client} asks to sign you out of ${'your account'}.`,
  logoutYes: 'Yes, sign me out',
  logoutNo: 'No, stay signed in',
  stillSignedInTitle: 'You are still signed in',
  startAgain: 'Start signing in again',
  errorTitle: 'Something went wrong',
  scopes: {
    openid: 'Confirm who you are',
    offline_access: 'Stay connected when you are not using the app',
    email: 'See your e-mail address',
    profile: 'See your name and username',
  } as Record<string, string>,
  errors: {
    challengeMissing: 'This page must be opened from a sign-in link. Start again from the shop.',
    challengeUnknown: 'This sign-in link is not valid. Start again from the shop.',
    challengeExpired: 'This sign-in took too long and has expired. Please start again.',
    hydraUnavailable: 'Sign-in is unavailable right now. Please try again in a moment.',
    csrfInvalid: 'This form has expired. Go back, reload the page and try again.',
    bodyTooLarge: 'The form sent was too large.',
    badRequest: 'The request could not be understood.',
    methodNotAllowed: 'This page cannot be used that way.',
    internal: 'Something went wrong on our side. Please try again.',
  } satisfies Record<ErrorMessageKey, string>,
};

export type Messages = typeof defaultMessages;
