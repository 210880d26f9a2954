import { isPlausibleToken } from '../accounts/accountTokens';
import type { TokenRefusal } from '../accounts/port';
import { log } from '../log';
import type { CoreHandler } from '../http/types';
import { type FlowContext, type FlowDeps, flowRoute, renderScreen } from './context';
import { AccountLinkError, MethodNotAllowedError } from './errors';
import { requireSelfService } from './selfService';

/**
 * The page a verification mail links to. Opening it verifies the address, as Meteor's own
 * verify-email link does: holding the link already proves access to the mailbox, so there is
 * nothing a further click would add. The claim `email_verified` reads the flag from then on.
 */
export function createVerifyEmailHandler(deps: FlowDeps): CoreHandler {
  return flowRoute(deps, 'account', deps.settings.routes.verifyEmail, {
    GET: verify,
    POST: refusePost,
  });
}

async function verify(context: FlowContext): Promise<void> {
  const selfService = requireSelfService(context, 'e-mail verification');
  const url = new URL(context.req.url ?? '/', 'http://unused.invalid');
  const values = url.searchParams.getAll('token');
  if (values.length !== 1 || !isPlausibleToken(values[0])) throw linkError(context, 'unknown');

  const outcome = await selfService.accounts.verifyEmail(
    values[0],
    context.deps.settings.accounts.verifyTokenSeconds,
  );
  if (!outcome.ok) throw linkError(context, outcome.reason);
  log.account('address verified user=%s', outcome.user.id);

  const { messages } = context.deps.ui;
  const address = outcome.user.emails.find((email) => email.verified)?.address ?? '';
  renderScreen(context, 200, 'NoticePage', messages.verifyDoneTitle, {
    title: messages.verifyDoneTitle,
    lead: messages.verifyDoneLead(address),
    kind: 'verify-done',
    linkUrl: context.deps.settings.storefrontUrl,
    linkLabel: messages.continueToShop,
    messages,
  });
}

async function refusePost(context: FlowContext): Promise<void> {
  context.res.setHeader('Allow', 'GET');
  throw new MethodNotAllowedError('POST');
}

function linkError(context: FlowContext, reason: TokenRefusal): AccountLinkError {
  const storefront = context.deps.settings.storefrontUrl;
  return new AccountLinkError(
    'verify',
    reason,
    storefront ? { url: storefront, label: 'startAgain' } : undefined,
  );
}
