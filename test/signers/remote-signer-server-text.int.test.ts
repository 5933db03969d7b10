/**
 * What a signing server says in its own words (an HTTP error's body, a 200 stating an error, a 200
 * that is not JSON) is quoted in the remote signer's errors, which reach logs, a job's
 * failedReason and a run's stored error: it is masked as a platform's reason is
 * (adapters/platforms/shared/platform-text.ts `scrubPlatformReason`): an ID number, an individual
 * business's credit code or a run of seven or more digits (a mobile number) cut to its last four, the signer's own
 * credentials replaced by `***`, then cut to 200 characters. Before, the text was only cut, and a
 * server echoing a caller's data or the token it refused put them into every such place; a 200
 * that is not JSON was quoted by V8's parser message, a short body whole.
 */
import { describe, expect, it } from 'vitest';
import type { LicbridgeError } from '../../core/errors.js';
import { failureAnswering, type ScriptedAnswer } from './remote-signer-scripted.js';

const RESIDENT_ID = '11010519491231002X';
// An individual business's (92): it names a person. A legal entity's is kept whole (core/scrub.ts).
const CREDIT_CODE = '92370211MA3098E10F';
const MOBILE = '13800138000';
const TOKEN = 'tok-Zq8vK2mW9xR4nB7p';

/** The error signing one message fails with, every sign request answered by `answer`. */
const failure = (answer: ScriptedAnswer): Promise<LicbridgeError> => failureAnswering(answer, TOKEN);

const said = `holder ${RESIDENT_ID} (code ${CREDIT_CODE}, phone ${MOBILE}) refused for Bearer ${TOKEN}`;

function expectMasked(err: LicbridgeError): void {
  for (const value of [RESIDENT_ID, CREDIT_CODE, MOBILE, TOKEN, '1101051949', '9237021', '1380013'])
    expect(err.message).not.toContain(value);
  expect(err.message).toContain('holder **************002X (code **************E10F, phone *******8000)');
  expect(err.message).toContain('refused for Bearer ***');
}

describe("a signing server's own words, quoted", () => {
  it('a 200 stating an error', async () => {
    const err = await failure({ status: 200, body: JSON.stringify({ code: 'E1007', message: said }) });
    expect(err.message).toMatch(/expected 1 signatures, got none; the server says: E1007 holder /);
    expectMasked(err);
  });

  it("an HTTP error's body", async () => {
    const err = await failure({ status: 400, body: said });
    expect(err.message).toMatch(/POST \/v1\/keys\/seal-1\/sign: HTTP 400: holder /);
    expectMasked(err);
  });

  it('masked before it is cut: no ID number left half-way at the cut', async () => {
    const err = await failure({ status: 400, body: `${'x'.repeat(190)} ${RESIDENT_ID}` });
    expect(err.message).not.toContain('110105');
  });

  it('a 200 that is not JSON: the body is not quoted by the parser message', async () => {
    const err = await failure({ status: 200, body: `<p>${MOBILE}</p>` });
    expect(err.message).toMatch(/failed after 1 attempts: response is not JSON/);
    expect(err.message).not.toContain(MOBILE);
  });
});
