/**
 * A signing server that answers the remote signer's last attempt with 429 or 503 and `Retry-After`
 * has its wait carried by the error (`retryAfterMs` in its context), as a wait longer than the
 * signer's own cap is: the sign job waits it out without spending an attempt (sign-worker.ts).
 * Before, the last attempt's wait was dropped (`failed after 2 attempts: HTTP 503`, no
 * `retryAfterMs`), and the job spent an attempt on its backoff, asking the server again early.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { LicbridgeError } from '../../core/errors.js';
import { retryAfterOf } from '../../pipelines/delivery-policy.js';
import { remoteSigner, signFailure } from './remote-signer-fixture.js';
import { type ScriptedAnswer, type ScriptedServer, scriptedSigningServer } from './remote-signer-scripted.js';

let server: ScriptedServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

const busy = (status: number, retryAfter?: string): ScriptedAnswer => ({
  status,
  headers: retryAfter === undefined ? {} : { 'retry-after': retryAfter },
  body: JSON.stringify({ error: 'busy' }),
});

/** The error signing one message fails with, every sign request answered by `answers` in turn. */
async function failure(answers: ScriptedAnswer[], attempts: number): Promise<LicbridgeError> {
  server = await scriptedSigningServer((n) => answers[n]);
  return signFailure(remoteSigner('city-seal', server.url, { attempts, maxBackoffMs: 1000 }));
}

describe("the last attempt's Retry-After", () => {
  it('is carried by the error, within the cap: the sign job waits it', async () => {
    const err = await failure([busy(503, '1'), busy(503, '1')], 2);
    expect(server?.answeredAt).toHaveLength(2);
    expect(err.retryable).toBe(true);
    // The wait the signer made between its attempts rides along: the sign job counts it as waited.
    expect(err.context).toMatchObject({ signer: 'city-seal', retryAfterMs: 1000, waitedMs: 1000 });
    expect(retryAfterOf(err)).toBe(1000);
    expect(err.message).toMatch(
      /signer city-seal: POST \/v1\/keys\/seal-1\/sign: failed after 2 attempts: HTTP 503: the server asks to wait 1 s \(Retry-After\); answered by http:\/\/127\.0\.0\.1:\d+\/v1\/keys\/seal-1\/sign$/,
    );
  });

  it('of a single attempt, a 429', async () => {
    const err = await failure([busy(429, '7')], 1);
    expect(server?.answeredAt).toHaveLength(1);
    expect(err.context).toMatchObject({ retryAfterMs: 7000 });
    expect(err.context.waitedMs).toBeUndefined();
    expect(err.message).toMatch(/failed after 1 attempts: HTTP 429: the server asks to wait 7 s/);
  });

  it('longer than the cap on the last attempt: carried too', async () => {
    const err = await failure([busy(503, '1'), busy(503, '120')], 2);
    expect(server?.answeredAt).toHaveLength(2);
    expect(err.context).toMatchObject({ retryAfterMs: 120_000, waitedMs: 1000 });
  });

  it('the last answer counts: one without Retry-After after one with it carries none', async () => {
    const err = await failure([busy(503, '1'), busy(503)], 2);
    expect(err.retryable).toBe(true);
    expect(err.context.retryAfterMs).toBeUndefined();
    expect(err.message).toMatch(
      /failed after 2 attempts: HTTP 503 from http:\/\/127\.0\.0\.1:\d+\/v1\/keys\/seal-1\/sign$/,
    );
  });
});
