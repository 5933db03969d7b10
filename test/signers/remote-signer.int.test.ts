// The remote signer against the signing-server simulator over real HTTP: real SM2 signatures,
// retries through injected 503s and timeouts, and HMAC authentication.
import { afterEach, describe, expect, it } from 'vitest';
import { generateSm2KeyPair } from '../../adapters/signers/local-sm2/keys.js';
import { verifySm2Signature } from '../../adapters/signers/local-sm2/local-sm2-signer.js';
import type { RemoteSignerConfig } from '../../adapters/signers/remote/config.js';
import type { RemoteSigner } from '../../adapters/signers/remote/remote-signer.js';
import {
  type SigningServerSimulator,
  startSigningServerSimulator,
} from '../../adapters/simulators/signing-server/signing-server-simulator.js';
import { LicbridgeError } from '../../core/errors.js';
import { remoteSigner } from './remote-signer-fixture.js';

const pair = generateSm2KeyPair();
const messages = Array.from({ length: 120 }, (_, i) => Buffer.from(`{"n":${i},"name":"许可证${i}"}`, 'utf8'));

/** A reproducible sequence in [0, 1): the same faults on every run. */
function seq(values: number[]): () => number {
  let i = 0;
  return () => values[i++ % values.length] as number;
}

/**
 * The signer `city-seal` for the simulator at `url`: four requests at once, 1 s each, six attempts.
 * Not shorter: on a loaded machine a request the simulator answers at once passed 300 ms, counted
 * as a timeout besides the faults the sequence injects, and a batch spent its six attempts.
 */
const signerFor = (url: string, extra: Partial<RemoteSignerConfig> = {}): RemoteSigner =>
  remoteSigner('city-seal', url, { concurrency: 4, timeoutMs: 1000, attempts: 6, ...extra });

describe('remote signer with the signing-server simulator', () => {
  let sim: SigningServerSimulator | undefined;
  afterEach(async () => {
    await sim?.close();
    sim = undefined;
  });

  it('signs in batches through 503s and timeouts; every signature verifies with the served key', async () => {
    // Faults on 40% of requests (half 503, half hung until the client times out).
    const random = seq([0.1, 0.2, 0.9, 0.5, 0.7, 0.3, 0.6, 0.8, 0.95, 0.6]);
    sim = await startSigningServerSimulator({
      keys: { 'seal-1': { privateKeyPem: pair.privateKeyPem } },
      latencyMs: 2,
      faults: { rate: 0.4, kinds: ['error', 'timeout'], random },
    });
    const signer = signerFor(sim.url);
    await signer.open();
    expect(signer.publicKeyPem()).toBe(pair.publicKeyPem);
    const records = await signer.sign(messages);
    expect(records).toHaveLength(messages.length);
    records.forEach((r, i) => {
      expect(r.signerKind).toBe('remote');
      expect(verifySm2Signature(pair.publicKeyPem, messages[i] as Buffer, r.signature)).toBe(true);
    });
    expect(sim.stats().faults).toBeGreaterThan(0);
    expect(signer.stats().retries).toBeGreaterThanOrEqual(sim.stats().faults);
    // Every message was signed at least once. A request the client gave up on may still have been
    // signed by the server (the hung ones, and on a loaded machine a slow one past the 1 s
    // timeout), so the server may count more: that is what a timeout means, and harmless, since the
    // client keeps one signature per message.
    expect(sim.stats().signed).toBeGreaterThanOrEqual(messages.length);
    await signer.close();
  });

  it('gives up with a retryable error after its attempts', async () => {
    sim = await startSigningServerSimulator({
      keys: { 'seal-1': { privateKeyPem: pair.privateKeyPem } },
      faults: { rate: 1, kinds: ['error'] },
    });
    const signer = signerFor(sim.url, { attempts: 3 });
    await signer.open();
    const err = await signer.sign(messages.slice(0, 3)).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(LicbridgeError);
    expect((err as LicbridgeError).retryable).toBe(true);
    expect((err as LicbridgeError).message).toMatch(/failed after 3 attempts: HTTP 503/);
    expect(sim.stats().requests).toBe(3);
  });

  it('authenticates with HMAC-SM3; a wrong secret is refused at open()', async () => {
    sim = await startSigningServerSimulator({
      keys: { 'seal-1': { privateKeyPem: pair.privateKeyPem } },
      auth: { scheme: 'hmac', appKey: 'licbridge', secret: 's3cret' },
    });
    const good = signerFor(sim.url, { auth: { scheme: 'hmac', appKey: 'licbridge', secret: 's3cret' } });
    await good.open();
    const [rec] = await good.sign([messages[0] as Buffer]);
    expect(
      verifySm2Signature(pair.publicKeyPem, messages[0] as Buffer, rec?.signature ?? new Uint8Array()),
    ).toBe(true);
    const bad = signerFor(sim.url, { auth: { scheme: 'hmac', appKey: 'licbridge', secret: 'nope' } });
    const err = await bad.open().catch((e: unknown) => e);
    expect((err as Error).message).toMatch(/signer city-seal: GET \/v1\/keys\/seal-1: HTTP 401/);
    expect((err as Error).message).not.toContain('nope');
    expect(sim.stats().rejected).toBe(1);
  });
});
