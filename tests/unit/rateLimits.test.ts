import { expect } from 'chai';
import {
  createRateLimits,
  decideAfterConsume,
  decideBeforeAttempt,
  storedKey,
} from '../../packages/hydra-oauth/lib/limits/rateLimits';
import { loadSettings } from '../../packages/hydra-oauth/lib/settings';

function limits(points: number) {
  const settings = loadSettings({
    hydra: { adminUrl: 'http://127.0.0.1:4445' },
    csrf: { secret: 'x'.repeat(32) },
  });
  const rule = { points, seconds: 60 };
  return { ...settings.rateLimits, loginFailures: rule, signUp: rule, forgotPassword: rule };
}

describe('rate-limit decisions', () => {
  it('allows the attempt that reaches the limit and denies the one after', () => {
    expect(decideAfterConsume(3, 3, 59_000)).to.deep.equal({ allowed: true });
    expect(decideAfterConsume(4, 3, 59_000)).to.deep.equal({ allowed: false, retryAfterSeconds: 59 });
  });

  it('before an attempt, denies once the limit is used up, and never says "retry in 0 s"', () => {
    expect(decideBeforeAttempt(2, 3, 10)).to.deep.equal({ allowed: true });
    expect(decideBeforeAttempt(3, 3, 10)).to.deep.equal({ allowed: false, retryAfterSeconds: 1 });
  });

  it('stores keys hashed, so no address or IP is kept in the counters', () => {
    const key = storedKey('127.0.0.1|ada@example.com');
    expect(key).to.match(/^[A-Za-z0-9_-]{43}$/);
    expect(key).to.not.contain('ada');
  });

  it('counts per rule and key, and a reset clears only that key (memory store)', async () => {
    const rateLimits = await createRateLimits(limits(2), { kind: 'memory' });
    expect((await rateLimits.consume('signUp', 'ip-a')).allowed).to.equal(true);
    expect((await rateLimits.consume('signUp', 'ip-a')).allowed).to.equal(true);
    const third = await rateLimits.consume('signUp', 'ip-a');
    expect(third.allowed).to.equal(false);
    expect(!third.allowed && third.retryAfterSeconds).to.be.within(1, 60);

    expect((await rateLimits.consume('signUp', 'ip-b')).allowed).to.equal(true);
    expect((await rateLimits.consume('forgotPassword', 'ip-a')).allowed).to.equal(true);

    await rateLimits.consume('loginFailures', 'k');
    await rateLimits.consume('loginFailures', 'k');
    expect((await rateLimits.peek('loginFailures', 'k')).allowed).to.equal(false);
    await rateLimits.reset('loginFailures', 'k');
    expect((await rateLimits.peek('loginFailures', 'k')).allowed).to.equal(true);
  });
});
