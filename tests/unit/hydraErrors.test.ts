import { expect } from 'chai';
import { AxiosError, AxiosHeaders } from 'axios';
import { translateError } from '../../packages/hydra-oauth/lib/hydra/admin';
import {
  ChallengeExpiredError,
  ChallengeHandledError,
  ChallengeUnknownError,
  HydraProtocolError,
  HydraUnavailableError,
} from '../../packages/hydra-oauth/lib/flows/errors';

function answered(status: number, data: unknown): AxiosError {
  const config = { headers: new AxiosHeaders() };
  return new AxiosError('failed', 'ERR_BAD_RESPONSE', config, undefined, {
    status,
    statusText: '',
    data,
    headers: {},
    config,
  });
}

describe("translating Hydra's answers", () => {
  it('turns 404 into an unknown challenge', () => {
    expect(translateError(answered(404, {}), 'login', 'get')).to.be.instanceOf(ChallengeUnknownError);
  });

  it('turns 401 into an expired challenge that offers a restart', () => {
    const error = translateError(answered(401, {}), 'consent', 'get');
    expect(error).to.be.instanceOf(ChallengeExpiredError);
    expect((error as ChallengeExpiredError).status).to.equal(401);
  });

  it("turns 410 into a redirect to where Hydra's flow went on", () => {
    const error = translateError(answered(410, { redirect_to: 'http://hydra/next' }), 'login', 'get');
    expect(error).to.be.instanceOf(ChallengeHandledError);
    expect((error as ChallengeHandledError).redirectTo).to.equal('http://hydra/next');
  });

  it('treats a 410 without redirect_to as a protocol error, not a redirect', () => {
    expect(translateError(answered(410, {}), 'login', 'get')).to.be.instanceOf(HydraProtocolError);
  });

  it('turns no answer and 5xx into an outage (503)', () => {
    const refused = new AxiosError('connect ECONNREFUSED', 'ECONNREFUSED');
    const outage = translateError(refused, 'logout', 'get');
    expect(outage).to.be.instanceOf(HydraUnavailableError);
    expect((outage as HydraUnavailableError).status).to.equal(503);
    expect(translateError(answered(502, ''), 'login', 'accept')).to.be.instanceOf(
      HydraUnavailableError,
    );
  });

  it('keeps non-HTTP errors as they are', () => {
    const bug = new TypeError('boom');
    expect(translateError(bug, 'login', 'get')).to.equal(bug);
  });
});
