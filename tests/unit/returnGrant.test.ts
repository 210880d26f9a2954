import { expect } from 'chai';
import {
  decodeReturnGrant,
  encodeReturnGrant,
} from '../../packages/hydra-oauth/lib/flows/returnGrant';

const SECRET = 'a-csrf-secret-that-is-long-enough-for-tests';
const NOW = 1_700_000_000_000;

describe('the return grant after a password reset', () => {
  const grant = { subject: 'user1', expiresAt: NOW + 120_000 };

  it('reads back what it signed, until it expires', () => {
    const value = encodeReturnGrant(grant, SECRET);
    expect(decodeReturnGrant(value, SECRET, NOW)).to.deep.equal(grant);
    expect(decodeReturnGrant(value, SECRET, NOW + 120_000)).to.equal(undefined);
  });

  it('refuses a value signed with another secret, or with the subject changed', () => {
    const value = encodeReturnGrant(grant, SECRET);
    expect(decodeReturnGrant(value, `${SECRET}-other`, NOW)).to.equal(undefined);
    const [, mac] = value.split('.');
    const forged = Buffer.from(JSON.stringify(['admin', grant.expiresAt])).toString('base64url');
    expect(decodeReturnGrant(`${forged}.${mac}`, SECRET, NOW)).to.equal(undefined);
  });

  it('refuses malformed values without throwing', () => {
    for (const value of [undefined, '', 'x', 'a.b.c', '.', 'bm90IGpzb24.sig']) {
      expect(decodeReturnGrant(value, SECRET, NOW)).to.equal(undefined);
    }
  });
});
