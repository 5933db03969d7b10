/**
 * The signing-server simulator with HMAC auth (docs/signatures.md: `x-lb-timestamp` in ms,
 * `x-lb-nonce`, HMAC-SM3 over method, path, timestamp, nonce and the body's SM3) checked only the
 * signature, with the client's own signing functions: a request replayed as it was sent, or one
 * signed with a timestamp hours old, was signed again, as the signing servers these stand in for
 * (and the province, gateway and city simulators here) refuse. A remote signer re-sending one
 * request's headers on a retry, or signing with a clock far off, passed every test against it.
 * It now refuses a timestamp more than 5 minutes from its clock and a nonce it has seen while that
 * nonce's timestamp is fresh, and checks the signature with code of its own.
 */
import { createHash, createHmac, generateKeyPairSync } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import {
  type SigningServerSimulator,
  startSigningServerSimulator,
} from '../../adapters/simulators/signing-server/signing-server-simulator.js';

const SECRET = 'secret-made-by-this-test';
const NOW = Date.UTC(2026, 11, 5, 9, 0, 0);

let sim: SigningServerSimulator | undefined;
afterEach(async () => {
  await sim?.close();
  sim = undefined;
});

async function simulator(): Promise<SigningServerSimulator> {
  const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'SM2' });
  sim = await startSigningServerSimulator({
    keys: { 'seal-1': { privateKeyPem: privateKey.export({ type: 'pkcs8', format: 'pem' }) as string } },
    auth: { scheme: 'hmac', appKey: 'licbridge', secret: SECRET },
    clock: () => NOW,
  });
  return sim;
}

/** The documented headers, computed here (not with the client's code). */
function signed(path: string, body: string, timestamp: number, nonce: string): Record<string, string> {
  const bodySm3 = createHash('sm3').update(body, 'utf8').digest('hex');
  const payload = ['POST', path, String(timestamp), nonce, bodySm3].join('\n');
  return {
    'content-type': 'application/json',
    'x-lb-app-key': 'licbridge',
    'x-lb-timestamp': String(timestamp),
    'x-lb-nonce': nonce,
    'x-lb-signature': createHmac('sm3', SECRET).update(payload, 'utf8').digest('hex'),
  };
}

const PATH = '/v1/keys/seal-1/sign';
const BODY = JSON.stringify({ digests: ['ab'.repeat(32)] });

async function post(s: SigningServerSimulator, headers: Record<string, string>): Promise<number> {
  const res = await fetch(`${s.url}${PATH}`, { method: 'POST', headers, body: BODY });
  await res.arrayBuffer();
  return res.status;
}

describe('signing-server simulator, HMAC auth', () => {
  it('signs a fresh request, and refuses the same request replayed', async () => {
    const s = await simulator();
    const headers = signed(PATH, BODY, NOW, 'nonce-1');
    expect(await post(s, headers)).toBe(200);
    expect(await post(s, headers)).toBe(401);
    expect(await post(s, signed(PATH, BODY, NOW, 'nonce-2'))).toBe(200);
    expect(s.stats()).toMatchObject({ signed: 2, rejected: 1 });
  });

  it('refuses a timestamp more than 5 minutes from its clock, either way', async () => {
    const s = await simulator();
    expect(await post(s, signed(PATH, BODY, NOW - 10 * 60_000, 'old'))).toBe(401);
    expect(await post(s, signed(PATH, BODY, NOW + 10 * 60_000, 'ahead'))).toBe(401);
    expect(await post(s, signed(PATH, BODY, NOW - 4 * 60_000, 'late-but-fresh'))).toBe(200);
  });

  it('refuses a signature over another body', async () => {
    const s = await simulator();
    const headers = signed(PATH, JSON.stringify({ digests: ['cd'.repeat(32)] }), NOW, 'other-body');
    expect(await post(s, headers)).toBe(401);
  });
});
