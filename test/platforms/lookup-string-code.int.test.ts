/**
 * A platform writing the answer `code` of a lookup or listing as a string of digits
 * (`"code": "503"`), as platforms built on string-typed result fields do. Only a JSON number was
 * read as a code: `"503"` passed as a good answer, so a busy listing page (no `items`) ended the
 * listing, every license after it then `missing-at-platform`, and a busy lookup gave an unreadable
 * record. A code of digits is read as that number, as the notify target reads it
 * (adapters/platforms/shared/answer-code.ts): `"503"` busy, `"40001"` a refusal, `"0"` the answer.
 */
import { describe, expect, it } from 'vitest';
import { ErrorCodes, isLicbridgeError } from '../../core/errors.js';
import { listAll, restTargetAnswering } from './lookup-stand-in.js';
import type { ScriptedReply } from './scripted-server.js';

const answering = restTargetAnswering();
const targetAnswering = async (reply: ScriptedReply) => (await answering(() => reply)).target;

/** The error `p` fails with: its code, whether it may be retried, and the platform code it names. */
async function failureOf(p: Promise<unknown>): Promise<unknown> {
  const e = await p.then(
    () => 'no failure',
    (err: unknown) => err,
  );
  return isLicbridgeError(e) ? [e.code, e.retryable, e.context.platformCode] : e;
}

describe('a lookup or listing answer whose code is a string of digits', () => {
  it('"503" (busy): the lookup fails, retryable, naming code 503', async () => {
    const target = await targetAnswering({ status: 200, body: { code: '503', reason: 'SYSTEM_BUSY' } });
    expect(await failureOf(target.lookup(['lic-000001']))).toEqual([
      ErrorCodes.TARGET_UNREACHABLE,
      true,
      503,
    ]);
  });

  it('"503" (busy): the listing fails, retryable, instead of ending', async () => {
    const target = await targetAnswering({ status: 200, body: { code: '503', reason: 'SYSTEM_BUSY' } });
    expect(await failureOf(listAll(target))).toEqual([ErrorCodes.TARGET_UNREACHABLE, true, 503]);
  });

  it('"40001": the listing is refused, naming code 40001', async () => {
    const target = await targetAnswering({ status: 200, body: { code: '40001', reason: 'BAD_TENANT' } });
    expect(await failureOf(listAll(target))).toEqual([ErrorCodes.TARGET_REJECTED, true, 40001]);
  });

  it('"0": the answer is read as with the number 0', async () => {
    const target = await targetAnswering({ status: 200, body: { code: '0', items: [] } });
    expect(await listAll(target)).toEqual([]);
  });
});
