/**
 * A signing server's error code (`code`, `errorCode`, `errCode` of an answer stating an error, a
 * 200's or a refused request's JSON body) is quoted whole when it has a code's shape: GM/T 0018's
 * codes are 32-bit numbers (SDR_KEYNOTEXIST 0x01000008, 16777224 in decimal), and masked as the
 * server's words are, a run of seven or more digits cut to its last four, they read `****7224` and
 * `0x****0008`: nothing an operator could look up. A code holding a mobile number, an ID number,
 * an individual business's credit code or the signer's token is masked still, and the words are masked as before.
 */
import { describe, expect, it } from 'vitest';
import { failureAnswering, type ScriptedAnswer } from './remote-signer-scripted.js';

const MOBILE = '13800138000';
// An individual business's (92): it names a person. A legal entity's is kept whole (core/scrub.ts).
const CREDIT_CODE = '92370211MA3098E10F';
const TOKEN = 'tok-Zq8vK2mW9xR4nB7p';

/** The message signing one message fails with, every sign request answered by `answer`. */
async function failure(answer: ScriptedAnswer): Promise<string> {
  return (await failureAnswering(answer, TOKEN)).message;
}

const ok = (body: unknown): ScriptedAnswer => ({ status: 200, body: JSON.stringify(body) });

describe("a signing server's error code", () => {
  it('a 32-bit code in decimal, in a 200 stating an error, is quoted whole', async () => {
    const message = await failure(ok({ code: 16777224, message: 'key not found' }));
    expect(message).toMatch(/got none; the server says: 16777224 key not found$/);
  });

  it('a hex code, in an error object, is quoted whole; the words are masked', async () => {
    const message = await failure(
      ok({ error: { errorCode: '0x01000008', msg: `key of ${MOBILE} not found` } }),
    );
    expect(message).toMatch(/the server says: 0x01000008 key of \*{7}8000 not found$/);
  });

  it("a refused request's JSON body: its code whole, its words masked", async () => {
    const message = await failure({
      status: 400,
      body: JSON.stringify({ errCode: '0x0100000A', errMsg: `caller ${MOBILE}` }),
    });
    expect(message).toMatch(/HTTP 400: 0x0100000A caller \*{7}8000$/);
  });

  it('a code that is a mobile number, a credit code or the token is masked', async () => {
    for (const code of [MOBILE, CREDIT_CODE, TOKEN]) {
      const message = await failure(ok({ code, message: 'refused' }));
      expect(message).not.toContain(code);
      expect(message).toMatch(/the server says: \S*\*\*\*\S* refused$/);
    }
  });
});
