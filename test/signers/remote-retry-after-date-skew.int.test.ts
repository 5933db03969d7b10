/**
 * A signing server's `Retry-After` written as an HTTP-date is a time on the server's clock, which
 * its answer's `Date` is written by (RFC 9110 §6.6.1): the wait is the one less the other. Read
 * against this host's clock, a host ten minutes ahead of the server took "in two minutes" for a
 * time long past and waited nothing, and one 30 minutes behind it waited 32 minutes.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { remoteSigner, signFailure } from './remote-signer-fixture.js';
import { type ScriptedServer, scriptedSigningServer } from './remote-signer-scripted.js';

let server: ScriptedServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

/** The wait the error of one attempt answered 429 carries, the server's clock `skewMs` off this host's. */
async function waitAsked(
  skewMs: number,
  retryAfter = (serverNow: number) => new Date(serverNow + 120_000).toUTCString(),
) {
  // Whole seconds: an HTTP-date has no finer unit.
  const serverNow = Math.floor((Date.now() + skewMs) / 1000) * 1000;
  server = await scriptedSigningServer(() => ({
    status: 429,
    headers: { date: new Date(serverNow).toUTCString(), 'retry-after': retryAfter(serverNow) },
    body: JSON.stringify({ error: 'busy' }),
  }));
  const err = await signFailure(remoteSigner('city-seal', server.url, { attempts: 1 }));
  expect(err.retryable).toBe(true);
  return err.context.retryAfterMs;
}

describe("a Retry-After date, against the answer's Date", () => {
  it('this host ten minutes ahead of the server: waits the two minutes asked', async () => {
    expect(await waitAsked(-10 * 60_000)).toBe(120_000);
  });

  it('this host 30 minutes behind the server: waits two minutes, not 32', async () => {
    expect(await waitAsked(30 * 60_000)).toBe(120_000);
  });

  it("a date before the answer's Date asks no wait: the own backoff applies", async () => {
    expect(
      await waitAsked(30 * 60_000, (serverNow) => new Date(serverNow - 60_000).toUTCString()),
    ).toBeUndefined();
  });
});
