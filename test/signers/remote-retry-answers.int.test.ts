/**
 * What the remote signer does with a signing server's "not now" answers: a 408 (the server gave
 * up waiting for the request) is retried as a 5xx is, since signing the same digest again is
 * harmless; a 429 or 503 with `Retry-After` waits the time the server states (capped), says so in
 * the log, and gives up at once on a wait longer than the cap instead of spending its attempts on
 * more refusals. Before: a 408 failed the batch for good, and `Retry-After` was ignored.
 */
import { createServer } from 'node:http';
import { pino } from 'pino';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { generateSm2KeyPair } from '../../adapters/signers/local-sm2/keys.js';
import { verifySm2Signature } from '../../adapters/signers/local-sm2/local-sm2-signer.js';
import {
  type SigningServerSimulator,
  startSigningServerSimulator,
} from '../../adapters/simulators/signing-server/signing-server-simulator.js';
import { LicbridgeError } from '../../core/errors.js';
import { type LocalServer, listenLocal } from '../support/listen-local.js';
import { outcomeWithin } from '../support/silent-proxy.js';
import { remoteSigner } from './remote-signer-fixture.js';

const pair = generateSm2KeyPair();
const message = Buffer.from('{"license":1}');

let front: LocalServer | undefined;
let sim: SigningServerSimulator | undefined;

/** Each timer set while a test watches them: its delay, ms, and whether it has run out. */
const timers: { ms: number; ranOut: boolean }[] = [];
function watchTimers(): void {
  const real = globalThis.setTimeout;
  vi.spyOn(globalThis, 'setTimeout').mockImplementation(((
    fn: (...args: unknown[]) => void,
    ms?: number,
    ...args: unknown[]
  ) => {
    const timer = { ms: ms ?? 0, ranOut: false };
    timers.push(timer);
    return real(() => {
      timer.ranOut = true;
      fn(...args);
    }, ms);
  }) as typeof setTimeout);
}

afterEach(async () => {
  vi.restoreAllMocks();
  timers.length = 0;
  await front?.close();
  await sim?.close();
  front = undefined;
  sim = undefined;
});

interface Refusal {
  status: number;
  headers?: Record<string, string>;
}

/**
 * A front that answers the first sign requests with `refusals` (one each), then passes every
 * request to the simulator; for each sign request it records the delays of the watched timers
 * that had run out when it arrived.
 */
async function frontWith(refusals: Refusal[]): Promise<{ url: string; arrivals: number[][] }> {
  sim = await startSigningServerSimulator({ keys: { 'seal-1': { privateKeyPem: pair.privateKeyPem } } });
  const upstream = sim.url;
  const arrivals: number[][] = [];
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (c) => {
      body += c;
    });
    req.on('end', async () => {
      if (req.url?.endsWith('/sign')) {
        arrivals.push(timers.filter((t) => t.ranOut).map((t) => t.ms));
        const refusal = refusals.shift();
        if (refusal) {
          res.writeHead(refusal.status, { 'content-type': 'application/json', ...refusal.headers });
          return res.end(JSON.stringify({ error: 'busy' }));
        }
      }
      const answer = await fetch(`${upstream}${req.url}`, {
        method: req.method ?? 'GET',
        ...(req.method === 'POST' ? { body, headers: { 'content-type': 'application/json' } } : {}),
      });
      res.writeHead(answer.status, { 'content-type': 'application/json' });
      res.end(await answer.text());
    });
  });
  front = await listenLocal(server);
  return { url: front.origin, arrivals };
}

function signer(url: string, lines: Record<string, unknown>[] = [], given: Record<string, unknown> = {}) {
  const logger = pino({ level: 'info' }, { write: (l: string) => void lines.push(JSON.parse(l)) });
  return remoteSigner('city-seal', url, { attempts: 4, ...given }, { logger });
}

describe('a 408 from the signing server', () => {
  it('is retried: the batch is signed on the next attempt', async () => {
    const { url, arrivals } = await frontWith([{ status: 408 }, { status: 408 }]);
    const s = signer(url);
    await s.open();
    const [record] = await s.sign([message]);
    expect(verifySm2Signature(pair.publicKeyPem, message, record?.signature ?? new Uint8Array())).toBe(true);
    expect(arrivals).toHaveLength(3);
    expect(s.stats().retries).toBe(2);
    await s.close();
  });
});

describe('Retry-After on a 429 or 503', () => {
  it('waits the seconds the server states before asking again, and logs the wait', async () => {
    const lines: Record<string, unknown>[] = [];
    const { url, arrivals } = await frontWith([{ status: 429, headers: { 'retry-after': '1' } }]);
    const s = signer(url, lines);
    await s.open();
    watchTimers();
    const [record] = await s.sign([message]);
    expect(verifySm2Signature(pair.publicKeyPem, message, record?.signature ?? new Uint8Array())).toBe(true);
    expect(arrivals).toHaveLength(2);
    // The second request came once a wait of 1 s had run out; backoffMs 5 alone waits under 5 ms.
    expect(arrivals[0]).not.toContain(1000);
    expect(arrivals[1]).toContain(1000);
    const waited = lines.find((l) => typeof l.msg === 'string' && /Retry-After/.test(l.msg));
    expect(waited?.msg).toMatch(/signer city-seal: .*HTTP 429.*waiting 1 s/);
    expect(waited).toMatchObject({ signer: 'city-seal', status: 429, waitMs: 1000 });
    await s.close();
  });

  it('reads an HTTP-date too', async () => {
    // The date is read on the server's clock, its answer's Date, held here at a whole second (and
    // the signer's too): the date 3 s on is a wait of 3 s exactly. Node's own Date header would be
    // the second the answer went out, a second later on a loaded machine.
    const now = Math.floor(Date.now() / 1000) * 1000;
    const at = new Date(now + 3000).toUTCString();
    const date = new Date(now).toUTCString();
    const { url, arrivals } = await frontWith([{ status: 503, headers: { 'retry-after': at, date } }]);
    const s = signer(url);
    await s.open();
    vi.spyOn(Date, 'now').mockReturnValue(now);
    watchTimers();
    await s.sign([message]);
    expect(arrivals).toHaveLength(2);
    expect(arrivals[0]).not.toContain(3000);
    expect(arrivals[1]).toContain(3000);
    await s.close();
  });

  it('a wait longer than the cap (30 s) is not cut short: the batch fails at once, retryable, naming it', async () => {
    const lines: Record<string, unknown>[] = [];
    const { url, arrivals } = await frontWith(
      Array.from({ length: 4 }, () => ({ status: 503, headers: { 'retry-after': '120' } })),
    );
    const s = signer(url, lines);
    await s.open();
    // Half the cap: a batch that waited the cap (or the 120 s) before failing would still be waiting.
    const err = await outcomeWithin(15_000, s.sign([message]));
    expect(err).toBeInstanceOf(LicbridgeError);
    expect((err as LicbridgeError).retryable).toBe(true);
    expect((err as LicbridgeError).message).toMatch(
      /signer city-seal: POST \/v1\/keys\/seal-1\/sign: HTTP 503: the server asks to wait 120 s \(Retry-After\), longer than the 30 s this signer waits/,
    );
    expect((err as LicbridgeError).context).toMatchObject({ retryAfterMs: 120_000 });
    expect(arrivals).toHaveLength(1);
    await s.close();
  });
});

describe('a Retry-After that asks for no wait', () => {
  // `0`, a date already past (a server clock behind), or a value that is no Retry-After at all
  // (`-1`, `1.5`: V8's Date.parse reads both as dates in 2001) is no wait: the signer's own backoff
  // applies, as the delivery queue reads a Retry-After of 0 as none. Read as a wait of 0 ms, every
  // attempt went back to back, and the log said 'waiting 0 s as the server's Retry-After asks'.
  const past = new Date(Date.now() - 60_000).toUTCString();
  it.each(['0', '-1', '1.5', past])('Retry-After %s: the own backoff, no wait logged', async (value) => {
    // The jitter at its top: the backoff is 0.999 × 400 ms before the second attempt.
    vi.spyOn(Math, 'random').mockReturnValue(0.999);
    const lines: Record<string, unknown>[] = [];
    const { url, arrivals } = await frontWith([{ status: 503, headers: { 'retry-after': value } }]);
    const s = signer(url, lines, { backoffMs: 400 });
    try {
      await s.open();
      watchTimers();
      await s.sign([message]);
      expect(arrivals).toHaveLength(2);
      // The second request came once the backoff had run out.
      expect(arrivals[1]).toContain(0.999 * 400);
      expect(lines.filter((l) => /Retry-After/.test(String(l.msg)))).toEqual([]);
    } finally {
      await s.close();
    }
  });
});

describe('many batches waiting out a Retry-After at once', () => {
  it('raise no MaxListenersExceededWarning on the signal close() aborts', async () => {
    const warnings: Error[] = [];
    const onWarning = (w: Error) => void warnings.push(w);
    process.on('warning', onWarning);
    const batches = 12;
    const { url, arrivals } = await frontWith(
      Array.from({ length: batches }, () => ({ status: 503, headers: { 'retry-after': '1' } })),
    );
    const s = signer(url, [], { batchSize: 1, concurrency: 16 });
    try {
      await s.open();
      const messages = Array.from({ length: batches }, (_, i) => Buffer.from(`{"license":${i}}`));
      expect(await s.sign(messages)).toHaveLength(batches);
      expect(arrivals).toHaveLength(2 * batches);
      // Warnings are emitted on the next tick.
      await new Promise((r) => setImmediate(r));
      expect(warnings.map((w) => w.name)).not.toContain('MaxListenersExceededWarning');
    } finally {
      process.off('warning', onWarning);
      await s.close();
    }
  });
});
