/**
 * The city SOAP simulator refuses a replayed UsernameToken for as long as the token itself is
 * accepted: its `Created` may lie up to 5 minutes ahead of the service's clock (a sender whose
 * clock runs fast), and the nonce must be remembered until that `Created` is stale, not only for
 * 5 minutes from when the token was first seen.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { newUsernameToken, soapAction, submitEnvelope } from '../../adapters/platforms/soap-xml/envelope.js';
import {
  type CitySoapSimulator,
  startCitySoapSimulator,
} from '../../adapters/simulators/city-soap/city-soap-simulator.js';
import { CITY_NS } from './soap-stand-in.js';

const running: CitySoapSimulator[] = [];
afterEach(async () => {
  await Promise.all(running.splice(0).map((s) => s.close()));
});

const MINUTE = 60_000;

describe('city SOAP simulator: replayed nonces', () => {
  it('refuses a replay of a token dated ahead of its clock while that token is still fresh', async () => {
    const start = Date.parse('2026-03-02T08:00:00Z');
    let now = start;
    const sim = await startCitySoapSimulator({
      auth: { username: 'district', password: 'city-password' },
      clock: () => now,
    });
    running.push(sim);
    // The sender's clock runs 4 minutes ahead: inside the 5 minutes the service allows.
    const token = newUsernameToken('district', 'city-password', start + 4 * MINUTE);
    const record = {
      key: 'lic-1:1:city',
      operation: '01',
      license: { zzbs: 'x', zzbh: 'y', czztdm: 'z' },
      signature: { algorithm: 'a', value: 'v', digest: 'd', sealId: 's' },
    };
    const body = submitEnvelope([record], CITY_NS, token);
    const post = () =>
      fetch(sim.url, {
        method: 'POST',
        body,
        headers: { 'content-type': 'text/xml', soapaction: soapAction(CITY_NS, 'SubmitLicenses') },
      }).then((r) => r.text());

    expect(await post()).toContain('SubmitLicensesResponse');
    // 5.5 minutes later the token is 1.5 minutes old by its Created: still accepted as fresh, so
    // its nonce must still be known.
    now = start + 5.5 * MINUTE;
    const replay = await post();
    expect(replay).toContain('replayed-nonce');
    expect(replay).not.toContain('SubmitLicensesResponse');
    // Once the token is stale it is refused for that.
    now = start + 9.5 * MINUTE;
    expect(await post()).toContain('stale-timestamp');
  });
});
