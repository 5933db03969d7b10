/**
 * The province simulator's app key + md5 scheme (STANDARDS.md §5, `sign = md5(appKey + secret +
 * requestTime)`, requestTime in unix ms) took a signature whatever its `requestTime` said: one
 * captured an hour ago, or made by a client whose clock or unit is off (seconds for ms), passed
 * for ever, where the `requestTime` is there for the platform to refuse exactly that, and the
 * simulator's HMAC and WS-Security checks refuse a timestamp more than 5 minutes off. A request,
 * or a secret refresh, whose `requestTime` is more than 5 minutes from the simulator's clock is
 * now refused (401, `bad-sign`), and a fresh one passes as before.
 */
import { createHash } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import {
  type ProvinceSimulator,
  startProvinceSimulator,
} from '../../adapters/simulators/province/province-simulator.js';

const APP_KEY = 'district-a';
const SECRET = 'secret-made-by-this-test';
const NOW = Date.UTC(2026, 11, 5, 9, 0, 0, 250);
const md5 = (s: string) => createHash('md5').update(s, 'utf8').digest('hex');

let sim: ProvinceSimulator | undefined;
afterEach(async () => {
  await sim?.close();
  sim = undefined;
});

async function simulator(): Promise<ProvinceSimulator> {
  sim = await startProvinceSimulator({ appkeyMd5: { appKey: APP_KEY, secret: SECRET }, clock: () => NOW });
  return sim;
}

/** A listing request signed at `requestTime` (its text as sent). */
async function listAt(s: ProvinceSimulator, requestTime: string): Promise<number> {
  const res = await fetch(`${s.url}/licenses/current?after=&limit=10`, {
    headers: { appKey: APP_KEY, requestTime, sign: md5(`${APP_KEY}${SECRET}${requestTime}`) },
  });
  await res.arrayBuffer();
  return res.status;
}

/** A secret refresh signed at `requestTime`. */
async function refreshAt(s: ProvinceSimulator, requestTime: string): Promise<number> {
  const query = new URLSearchParams({
    appKey: APP_KEY,
    requestTime,
    sign: md5(`${APP_KEY}${SECRET}${requestTime}`),
  });
  const res = await fetch(`${s.url}/auth/secret?${query}`);
  await res.arrayBuffer();
  return res.status;
}

describe('province simulator, appkey-md5: the requestTime of a signature', () => {
  it('a fresh one passes, within 5 minutes either way', async () => {
    const s = await simulator();
    expect(await listAt(s, String(NOW))).toBe(200);
    expect(await listAt(s, String(NOW - 4 * 60_000))).toBe(200);
    expect(await listAt(s, String(NOW + 4 * 60_000))).toBe(200);
  });

  it('one more than 5 minutes off is refused, the signature right or not', async () => {
    const s = await simulator();
    expect(await listAt(s, String(NOW - 60 * 60_000))).toBe(401);
    expect(await listAt(s, String(NOW + 10 * 60_000))).toBe(401);
    // Seconds where milliseconds are meant: a time in 1970.
    expect(await listAt(s, String(Math.floor(NOW / 1000)))).toBe(401);
    expect(await listAt(s, 'yesterday')).toBe(401);
    expect(s.secrets().refused).toBe(4);
  });

  it('a secret refresh signed an hour ago is refused; a fresh one hands out a secret', async () => {
    const s = await simulator();
    expect(await refreshAt(s, String(NOW - 60 * 60_000))).toBe(401);
    expect(await refreshAt(s, String(NOW))).toBe(200);
    expect(s.secrets().refreshed).toBe(1);
  });
});
