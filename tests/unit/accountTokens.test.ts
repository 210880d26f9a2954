import { expect } from 'chai';
import {
  isPlausibleToken,
  judgeResetToken,
  judgeVerificationToken,
  newToken,
  tokenRefusal,
  tokensWithoutAddress,
  withAddressVerified,
} from '../../packages/hydra-oauth/lib/accounts/accountTokens';

const NOW = Date.UTC(2025, 0, 1, 12, 0, 0);
const HOUR = 3600;

function resetHolder(when: Date, email = 'ada@example.com') {
  return {
    _id: 'user1',
    emails: [{ address: 'ada@example.com', verified: false }],
    services: { password: { reset: { token: 'tok', email, when, reason: 'resetPassword' } } },
  };
}

describe('reset and verification tokens', () => {
  it('makes 43-character URL-safe tokens that differ each time', () => {
    const [a, b] = [newToken(), newToken()];
    expect(a).to.match(/^[A-Za-z0-9_-]{43}$/);
    expect(a).to.not.equal(b);
    expect(isPlausibleToken(a)).to.equal(true);
  });

  it('refuses anything that cannot be a token before a lookup', () => {
    for (const value of [undefined, '', 'short', 'a'.repeat(129), 'has space in it 12345', 42]) {
      expect(isPlausibleToken(value)).to.equal(false);
    }
  });

  it('accepts a token up to its age limit and refuses it one millisecond later', () => {
    const issued = new Date(NOW - HOUR * 1000);
    expect(tokenRefusal(issued, HOUR, NOW)).to.equal(undefined);
    expect(tokenRefusal(issued, HOUR, NOW + 1)).to.equal('expired');
  });

  it('treats a token without a readable issue time as expired', () => {
    expect(tokenRefusal('2025-01-01', HOUR, NOW)).to.equal('expired');
    expect(tokenRefusal(new Date('nonsense'), HOUR, NOW)).to.equal('expired');
  });

  it('judges a fresh reset token good, and names the record', () => {
    const judged = judgeResetToken(resetHolder(new Date(NOW - 1000)), 'tok', HOUR, NOW);
    expect(judged.ok).to.equal(true);
    expect(judged.ok && judged.record.email).to.equal('ada@example.com');
  });

  it('judges a missing document or another token unknown, an old one expired', () => {
    expect(judgeResetToken(null, 'tok', HOUR, NOW)).to.deep.equal({ ok: false, reason: 'unknown' });
    expect(judgeResetToken(resetHolder(new Date(NOW)), 'other', HOUR, NOW))
      .to.deep.equal({ ok: false, reason: 'unknown' });
    expect(judgeResetToken(resetHolder(new Date(NOW - 2 * HOUR * 1000)), 'tok', HOUR, NOW))
      .to.deep.equal({ ok: false, reason: 'expired' });
  });

  it('refuses a reset token whose address the user no longer has, as Meteor does', () => {
    const holder = resetHolder(new Date(NOW), 'old@example.com');
    expect(judgeResetToken(holder, 'tok', HOUR, NOW)).to.deep.equal({ ok: false, reason: 'unknown' });
  });

  it('finds a verification token among several and judges its age', () => {
    const holder = {
      _id: 'user1',
      emails: [{ address: 'ada@example.com', verified: false }],
      services: {
        email: {
          verificationTokens: [
            { token: 'old', address: 'ada@example.com', when: new Date(NOW - 5 * HOUR * 1000) },
            { token: 'new', address: 'ada@example.com', when: new Date(NOW) },
          ],
        },
      },
    };
    expect(judgeVerificationToken(holder, 'new', HOUR, NOW).ok).to.equal(true);
    expect(judgeVerificationToken(holder, 'old', HOUR, NOW))
      .to.deep.equal({ ok: false, reason: 'expired' });
    expect(judgeVerificationToken(holder, 'none', HOUR, NOW))
      .to.deep.equal({ ok: false, reason: 'unknown' });
  });

  it('verifies exactly the named address and drops all of its tokens', () => {
    const emails = [
      { address: 'a@example.com', verified: false },
      { address: 'b@example.com', verified: false },
    ];
    expect(withAddressVerified(emails, 'b@example.com')).to.deep.equal([
      { address: 'a@example.com', verified: false },
      { address: 'b@example.com', verified: true },
    ]);
    const when = new Date(NOW);
    const tokens = [
      { token: '1', address: 'a@example.com', when },
      { token: '2', address: 'b@example.com', when },
      { token: '3', address: 'b@example.com', when },
    ];
    expect(tokensWithoutAddress(tokens, 'b@example.com')).to.deep.equal([tokens[0]]);
  });
});
