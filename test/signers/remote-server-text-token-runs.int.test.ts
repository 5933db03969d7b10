/**
 * A signing server, or a gateway in front of it, refusing a request often quotes the credential it
 * refused, and seldom whole: cut short (`token Zq8rT2vLx9Pw4KmN7bYc... rejected`), lower-cased, or
 * as an error code. The remote signer's errors (logs, a job's failedReason in Redis, a run's stored
 * error) masked the signer's bearer token or HMAC secret only where the server quoted it whole and
 * as written, so a token written into the config reached them all but for its last characters.
 * (One from `${env:…}` is scrubbed by every error anyway, core/scrub.ts.) Any run of 16 characters
 * or more of a credential is masked now, whatever its letter case, the code a server states too.
 */
import { describe, expect, it } from 'vitest';
import type { LicbridgeError } from '../../core/errors.js';
import { failureAnswering, type ScriptedAnswer } from './remote-signer-scripted.js';

const TOKEN = 'Zq8rT2vLx9Pw4KmN7bYc3HdF6gJs5AeU';

const failure = (answer: ScriptedAnswer): Promise<LicbridgeError> => failureAnswering(answer, TOKEN);

/** No 12 characters of the token in a row, in any letter case. */
function expectNoTokenRun(message: string): void {
  const folded = message.toLowerCase();
  for (let i = 0; i + 12 <= TOKEN.length; i++)
    expect(folded).not.toContain(TOKEN.slice(i, i + 12).toLowerCase());
}

describe("the signer's credential, quoted back in part", () => {
  it('cut short in an HTTP error', async () => {
    const err = await failure({
      status: 401,
      body: JSON.stringify({ message: `token ${TOKEN.slice(0, 20)}... rejected for key seal-1` }),
    });
    expect(err.message).toMatch(
      /POST \/v1\/keys\/seal-1\/sign: HTTP 401: token \*\*\*\.\.\. rejected for key seal-1$/,
    );
    expectNoTokenRun(err.message);
  });

  it('lower-cased, or from its middle, in a body that is not JSON', async () => {
    const err = await failure({
      status: 403,
      body: `invalid bearer ${TOKEN.toLowerCase()}; expected a token like ${TOKEN.slice(4, 26)}`,
    });
    expect(err.message).toMatch(/HTTP 403: invalid bearer \*\*\*; expected a token like \*\*\*$/);
    expectNoTokenRun(err.message);
  });

  it('as the code of a 200 stating an error', async () => {
    const err = await failure({
      status: 200,
      body: JSON.stringify({ code: TOKEN.slice(0, 24), message: 'key seal-1 is locked' }),
    });
    expect(err.message).toMatch(
      /expected 1 signatures, got none; the server says: \*\*\* key seal-1 is locked$/,
    );
    expectNoTokenRun(err.message);
  });
});
