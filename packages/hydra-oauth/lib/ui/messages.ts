import type { ErrorMessageKey } from '../flows/errors';

/** Every text the screens show. A host overrides any entry to reword or translate it. */
export const defaultMessages = {
  signInTitle: 'Sign in',
  signInLead: (client: string) => `to continue to ${client}`,
  identifierLabel: 'E-mail or username',
  passwordLabel: 'Password',
  showPassword: 'Show',
  hidePassword: 'Hide',
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
  logoutLead: (client: string) => `${client} asks to sign you out.`,
  logoutYes: 'Yes, sign me out',
  logoutNo: 'No, stay signed in',
  stillSignedInTitle: 'You are still signed in',
  startAgain: 'Start signing in again',
  errorTitle: 'Something went wrong',
  signUpLink: 'Create an account',
  forgotLink: 'Forgot your password?',
  signUpTitle: 'Create your account',
  signUpLead: (client: string) => `to continue to ${client}`,
  emailLabel: 'E-mail',
  newPasswordLabel: 'Password',
  confirmPasswordLabel: 'Repeat the password',
  passwordHint: (min: number) => `At least ${min} characters.`,
  signUpButton: 'Create account',
  haveAccountLink: 'I already have an account',
  invalidEmail: 'Enter a valid e-mail address.',
  passwordTooShort: (min: number) => `Choose a password of at least ${min} characters.`,
  passwordMismatch: 'The two passwords do not match.',
  signUpRefused:
    'We could not create an account with these details. If you already have one, sign in or ' +
    'reset your password.',
  tooManyAttempts: 'Too many attempts. Please wait a few minutes and try again.',
  forgotTitle: 'Reset your password',
  forgotLead:
    'Enter the e-mail address of your account. We will send it a link to set a new password.',
  forgotButton: 'Send the link',
  forgotSentTitle: 'Check your e-mail',
  forgotSentLead: (address: string) =>
    `If an account uses ${address}, we have sent it a link to set a new password. ` +
    'The link works once and expires soon.',
  backToSignIn: 'Back to sign-in',
  resetTitle: 'Set a new password',
  resetButton: 'Save and sign in',
  resetDoneTitle: 'Password changed',
  resetDoneLead: 'Your new password is saved. Sign in with it at the shop.',
  verifyDoneTitle: 'E-mail address confirmed',
  verifyDoneLead: (address: string) => `Thank you: ${address} is confirmed.`,
  continueToShop: 'Continue to the shop',
  askNewLink: 'Ask for a new link',
  mail: {
    resetSubject: (product: string) => `Reset your ${product} password`,
    resetText: (link: string, minutes: number) =>
      `Someone asked to reset the password of your account.\n\n` +
      `To choose a new password, open this link within ${minutes} minutes:\n\n${link}\n\n` +
      'If it was not you, ignore this message: your password stays as it is.\n',
    verifySubject: (product: string) => `Confirm your e-mail address for ${product}`,
    verifyText: (link: string) =>
      `Welcome! Confirm that this address is yours by opening this link:\n\n${link}\n\n` +
      'If you did not create an account, ignore this message.\n',
  },
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
    unsupportedForm: 'This page only accepts its own form. Go back and try again.',
    badRequest: 'The request could not be understood.',
    methodNotAllowed: 'This page cannot be used that way.',
    internal: 'Something went wrong on our side. Please try again.',
    resetLinkUnknown: 'This password reset link was already used or is not valid.',
    resetLinkExpired: 'This password reset link has expired.',
    verifyLinkUnknown: 'This confirmation link was already used or is not valid.',
    verifyLinkExpired: 'This confirmation link has expired.',
    selfServiceDisabled: 'This page is not available.',
    tooManyRequests: 'Too many attempts. Please wait a few minutes and try again.',
  } satisfies Record<ErrorMessageKey, string>,
};

export type Messages = typeof defaultMessages;
