/**
 * A simulated platform with a state file refuses a request replayed after it restarts, for as long
 * as the request's token is accepted: the nonces it has seen are kept with the rest of its state,
 * each until its token goes stale, and forgotten after. Kept in memory only, a batch replayed
 * inside the 5 minutes after a restart was processed again (the province platform counted its items
 * as duplicates), where the platform it stands in for refuses it as replayed.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { HmacAuth } from '../../adapters/platforms/shared/auth/hmac-auth.js';
import { newUsernameToken, soapAction, submitEnvelope } from '../../adapters/platforms/soap-xml/envelope.js';
import { startCitySoapSimulator } from '../../adapters/simulators/city-soap/city-soap-simulator.js';
import { startGatewaySimulator } from '../../adapters/simulators/gateway/gateway-simulator.js';
import { startProvinceSimulator } from '../../adapters/simulators/province/province-simulator.js';
import { CITY_NS } from './soap-stand-in.js';

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

async function stateFile(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'lb-sim-nonces-'));
  cleanups.push(() => rm(dir, { recursive: true, force: true }));
  return join(dir, 'state.db');
}

const MINUTE = 60_000;
const START = Date.parse('2026-03-02T08:00:00Z');
const APP_KEY = 'west-coast-app';
const SECRET = 'province-secret-for-tests';

/** The nonces a stopped simulator's state file still holds. */
function noncesIn(file: string): string[] {
  const db = new Database(file, { readonly: true });
  try {
    return db.prepare('SELECT nonce FROM nonces ORDER BY nonce').pluck().all() as string[];
  } finally {
    db.close();
  }
}

const wireItem = {
  key: 'lic-1:1:province',
  operation: '01',
  license: { zzbs: '1.2.156.3005.2.X.Y.lic-1.001.F', zzbh: 'NO-1', czztdm: '91370211MA3C000000' },
  signature: { algorithm: 'SM2-SM3', value: 'ab', digest: 'cd', sealId: 's' },
};

describe('simulators: a request replayed after a restart', () => {
  it('is refused by the province platform while its token is fresh; its nonce is forgotten after', async () => {
    const file = await stateFile();
    let now = START;
    const start = async () => {
      const sim = await startProvinceSimulator({
        stateFile: file,
        auth: { appKey: APP_KEY, secret: SECRET },
        clock: () => now,
      });
      cleanups.push(() => sim.close());
      return sim;
    };
    const body = JSON.stringify({ items: [wireItem] });
    const headers = await new HmacAuth(
      { appKey: APP_KEY, secret: SECRET },
      { clock: () => START, nonce: () => 'nonce-first' },
    ).headers({ method: 'POST', path: '/licenses/batch', body });
    const post = async (url: string) => {
      const res = await fetch(`${url}/licenses/batch`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...headers },
        body,
      });
      return { status: res.status, body: (await res.json()) as { reason?: string } };
    };

    const first = await start();
    expect((await post(first.url)).status).toBe(200);
    await first.close();

    now = START + 4 * MINUTE;
    const second = await start();
    expect(await post(second.url)).toMatchObject({ status: 401, body: { reason: 'replayed-nonce' } });
    expect(second.stats()).toMatchObject({ received: 1, duplicates: 0 });

    // Past its token's 5 minutes the request is stale, and its nonce need not be kept: a fresh
    // request's check forgets it.
    now = START + 6 * MINUTE;
    expect(await post(second.url)).toMatchObject({ status: 401, body: { reason: 'stale-timestamp' } });
    const fresh = await new HmacAuth(
      { appKey: APP_KEY, secret: SECRET },
      { clock: () => now, nonce: () => 'nonce-later' },
    ).headers({ method: 'GET', path: '/licenses?licenseId=lic-1', body: '' });
    expect((await fetch(`${second.url}/licenses?licenseId=lic-1`, { headers: fresh })).status).toBe(200);
    await second.close();
    expect(noncesIn(file)).toEqual(['nonce-later']);
  });

  it('is refused by the message gateway while its token is fresh', async () => {
    const file = await stateFile();
    let now = START;
    const start = async () => {
      const sim = await startGatewaySimulator({
        stateFile: file,
        auth: { appKey: APP_KEY, secret: SECRET },
        clock: () => now,
      });
      cleanups.push(() => sim.close());
      return sim;
    };
    const body = JSON.stringify({
      channel: 'sms',
      recipient: '13912340001',
      template: 'license-expiry',
      reference: 'lic-1',
      params: { licenseType: 't', number: 'JY1', issuer: 'i', validTo: '2026-03-31', daysLeft: 30 },
    });
    const headers = await new HmacAuth(
      { appKey: APP_KEY, secret: SECRET },
      { clock: () => START, nonce: () => 'nonce-message' },
    ).headers({ method: 'POST', path: '/messages', body });
    const send = (url: string, key: string) =>
      fetch(`${url}/messages`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'idempotency-key': key, ...headers },
        body,
      });

    const first = await start();
    expect((await send(first.url, 'remind-1')).status).toBe(200);
    await first.close();

    now = START + 4 * MINUTE;
    const second = await start();
    // Under another idempotency key the replay would be a second message.
    expect((await send(second.url, 'remind-2')).status).toBe(401);
    expect(second.messages()).toHaveLength(1);
  });

  it('is refused by the city SOAP service while its UsernameToken is fresh', async () => {
    const file = await stateFile();
    let now = START;
    const start = async () => {
      const sim = await startCitySoapSimulator({
        stateFile: file,
        auth: { username: 'district', password: 'city-password' },
        clock: () => now,
      });
      cleanups.push(() => sim.close());
      return sim;
    };
    const body = submitEnvelope(
      [{ ...wireItem, key: 'lic-1:1:city' }],
      CITY_NS,
      newUsernameToken('district', 'city-password', START),
    );
    const post = (url: string) =>
      fetch(url, {
        method: 'POST',
        body,
        headers: { 'content-type': 'text/xml', soapaction: soapAction(CITY_NS, 'SubmitLicenses') },
      }).then((r) => r.text());

    const first = await start();
    expect(await post(first.url)).toContain('SubmitLicensesResponse');
    await first.close();

    now = START + 4 * MINUTE;
    const second = await start();
    const replay = await post(second.url);
    expect(replay).toContain('replayed-nonce');
    expect(second.stats()).toMatchObject({ received: 1, duplicates: 0 });
  });
});
