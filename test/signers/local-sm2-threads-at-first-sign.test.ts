/**
 * A local SM2 signer with signing threads starts them at its first batch, not as it opens. Every
 * pipeline a process opens opens its signer (an extract job, a run with nothing new, a reconcile,
 * `seal install` reading the key), and each open started one thread per core, each loading the
 * signing kernel, for a signer that was closed again without signing. Its key is still checked as
 * it opens: a wrong passphrase fails the open, before any thread.
 */
import type { Worker } from 'node:worker_threads';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import type { LocalSm2SignerConfig } from '../../adapters/signers/local-sm2/config.js';
import { generateSm2KeyPair } from '../../adapters/signers/local-sm2/keys.js';
import { LocalSm2Signer, verifySm2Signature } from '../../adapters/signers/local-sm2/local-sm2-signer.js';
import { ErrorCodes, type LicbridgeError } from '../../core/errors.js';

/** Every worker thread this process starts while a test runs. */
const started: Worker[] = [];
const onWorker = (w: Worker) => started.push(w);
process.on('worker', onWorker);
afterAll(() => {
  process.off('worker', onWorker);
});
afterEach(() => {
  started.length = 0;
});

// Node announces a new thread (`process.on('worker')`) on the next tick after starting it.
const settle = () => new Promise((r) => setImmediate(r));

const pair = generateSm2KeyPair();
const signerWith = (config: Partial<LocalSm2SignerConfig> = {}) =>
  new LocalSm2Signer('district-seal', {
    kind: 'local-sm2',
    key: pair.privateKeyPem,
    sealId: '37021100000001',
    distId: '1234567812345678',
    workers: 2,
    ...config,
  });
const messages = Array.from({ length: 96 }, (_, i) => Buffer.from(`证照 ${i}`, 'utf8'));

describe('a local SM2 signer with signing threads', () => {
  it('opened, asked for its key and closed without signing, starts no thread', async () => {
    const signer = signerWith();
    await signer.open();
    expect(signer.keyInfo().publicKeyPem).toBe(pair.publicKeyPem);
    expect(signer.z()).toHaveLength(32);
    await signer.close();
    await settle();
    expect(started).toHaveLength(0);
  });

  it('starts its threads once, at the first batch, and signs every message with them', async () => {
    const signer = signerWith();
    await signer.open();
    try {
      await settle();
      expect(started).toHaveLength(0);
      // Two batches at once: one pool of two threads serves both.
      const [a, b] = await Promise.all([signer.sign(messages), signer.sign(messages)]);
      await settle();
      expect(started).toHaveLength(2);
      for (const out of [a, b]) {
        expect(out).toHaveLength(messages.length);
        out.forEach((r, i) => {
          expect(verifySm2Signature(pair.publicKeyPem, messages[i] as Buffer, r.signature)).toBe(true);
        });
      }
      expect(await signer.signDigests([new Uint8Array(32).fill(7)])).toHaveLength(1);
      await settle();
      expect(started).toHaveLength(2);
    } finally {
      await signer.close();
    }
  });

  it('refuses a wrong passphrase as it opens, starting no thread', async () => {
    const encrypted = generateSm2KeyPair({ passphrase: 'correct horse battery staple' });
    const signer = signerWith({ key: encrypted.privateKeyPem, passphrase: 'wrong' });
    const error = await signer.open().then(
      () => undefined,
      (e: LicbridgeError) => e,
    );
    await signer.close();
    expect(error?.code).toBe(ErrorCodes.SIGNER_KEY);
    expect(error?.message).toMatch(/^signer district-seal: .*wrong passphrase/);
    await settle();
    expect(started).toHaveLength(0);
  });

  it('refuses a thread count that is not a whole number above zero as it opens', async () => {
    const signer = signerWith({ workers: 1.5 });
    await expect(signer.open()).rejects.toThrow(/size must be ≥ 1, got 1.5/);
    await signer.close();
  });

  it('signs nothing once closed, and opened again signs on threads of its own', async () => {
    const signer = signerWith();
    await signer.open();
    await signer.sign(messages);
    await signer.close();
    await expect(signer.sign(messages)).rejects.toThrow(/sign called before open\(\)/);
    await signer.open();
    try {
      expect(await signer.sign(messages)).toHaveLength(messages.length);
    } finally {
      await signer.close();
    }
    await settle();
    expect(started).toHaveLength(4);
  });
});
