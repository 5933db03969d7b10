/**
 * The local signer's worker_threads pool when a worker thread dies: the batch it held fails (it is
 * never answered with fewer or other signatures), the next batch is signed by a full pool, and a
 * worker that cannot start at all (no thread to be had, a broken key material) fails the batch
 * given to it without being started again and again: a pool replacing each such worker as soon as
 * it died started about forty threads a second, on every core, until it was closed.
 */
import { createHash } from 'node:crypto';
import type { Worker } from 'node:worker_threads';
import { afterEach, describe, expect, it } from 'vitest';
import { decodeSm2Signature } from '../../adapters/signers/local-sm2/der.js';
import { generateSm2KeyPair, loadSm2PrivateKey } from '../../adapters/signers/local-sm2/keys.js';
import { kernelMaterial, LocalSm2Signer } from '../../adapters/signers/local-sm2/local-sm2-signer.js';
import { sm2VerifyDigest, sm2Z } from '../../adapters/signers/local-sm2/sm2.js';
import { Sm2WorkerPool } from '../../adapters/signers/local-sm2/worker-pool.js';
import { ErrorCodes, type LicbridgeError } from '../../core/errors.js';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Every worker thread this process starts while a test runs, and when each exits. */
const started: Worker[] = [];
const exits: Promise<unknown>[] = [];
const onWorker = (w: Worker) => {
  started.push(w);
  exits.push(new Promise((r) => w.once('exit', r)));
};
process.on('worker', onWorker);

/**
 * Until every thread started has exited, for up to three rounds: a pool that replaced each thread
 * as it died started one for each in every round (2, 4, 6, 8, …), where the pool that waits for the
 * next batch starts none. Waiting for the exits instead of a fixed time tells the two apart on a
 * machine too loaded to start a thread within that time, and takes only as long as the threads do.
 */
async function threadsGone(): Promise<void> {
  for (let round = 0; round < 3; round++) {
    const known = exits.length;
    await Promise.all(exits);
    await sleep(0);
    if (exits.length === known) return;
  }
}

let pool: Sm2WorkerPool | undefined;
afterEach(async () => {
  await pool?.close();
  pool = undefined;
  started.length = 0;
  exits.length = 0;
});

const { privateKey } = loadSm2PrivateKey('pool-test', generateSm2KeyPair().privateKeyPem);
const material = kernelMaterial({ privateKey, z: sm2Z(privateKey.publicKey) });
const messages = Array.from({ length: 96 }, (_, i) => Buffer.from(`证照 ${i}`, 'utf8'));

describe('the SM2 worker pool', () => {
  it('a worker killed during a batch fails that batch; the next batch is signed by a full pool', async () => {
    pool = new Sm2WorkerPool(material, 2);
    const first = pool.signMessages(messages);
    const outcome = first.then(
      () => 'signed',
      (e: Error) => e.message,
    );
    await sleep(0);
    expect(started).toHaveLength(2);
    await Promise.all(started.map((w) => w.terminate()));
    expect(await outcome).toMatch(/^sm2 worker: exited with code/);

    const out = await pool.signMessages(messages);
    expect(out).toHaveLength(messages.length);
    out.forEach((o, i) => {
      expect(sm2VerifyDigest(privateKey.publicKey, o.digest, decodeSm2Signature(o.signature))).toBe(true);
      expect(Buffer.from(o.digest)).toEqual(
        // e = SM3(Z ‖ M) of this message: the answers are in order.
        createHash('sm3')
          .update(material.z)
          .update(messages[i] as Buffer)
          .digest(),
      );
    });
    // Two at the start, two in their places: both workers served the second batch.
    expect(started).toHaveLength(4);
  });

  it('a worker that cannot start fails the batch and is not started again until the next batch', async () => {
    pool = new Sm2WorkerPool({ ...material, dHex: 'not hex' }, 2);
    const lost = await pool.signMessages(messages).then(
      () => undefined,
      (e: Error) => e,
    );
    expect(lost?.message).toMatch(/^sm2 worker: /);
    // The thread's own words may quote what it was started with (the private scalar): its error's
    // name is shown, not its message.
    expect(lost?.message).not.toContain('not hex');
    await threadsGone();
    const afterOne = started.length;
    // Two at the start, at most two more to sign the batch.
    expect(afterOne).toBeLessThanOrEqual(4);
    await expect(pool.signMessages(messages)).rejects.toThrow(/^sm2 worker: /);
    await threadsGone();
    expect(started.length - afterOne).toBeLessThanOrEqual(2);
  });

  it('through the local signer, a batch lost with its thread fails as retryable: the sign job is tried again', async () => {
    const signer = new LocalSm2Signer('district-seal', {
      kind: 'local-sm2',
      key: generateSm2KeyPair().privateKeyPem,
      sealId: '37021100000001',
      distId: '1234567812345678',
      workers: 2,
    });
    await signer.open();
    try {
      const signing = signer.sign(messages).then(
        () => undefined,
        (e: LicbridgeError) => e,
      );
      // The threads start with the first batch; Node tells of each on the next tick.
      await sleep(0);
      expect(started.length).toBeGreaterThan(0);
      await Promise.all(started.map((w) => w.terminate()));
      const error = await signing;
      expect(error?.code).toBe(ErrorCodes.SIGNER_FAILED);
      // Not retryable, the sign stage failed the job for good (BullMQ's UnrecoverableError) and
      // its versions waited for a person, for a thread that the next batch replaces.
      expect(error?.retryable).toBe(true);
      // The job's failure and the worker's log line show the message only: it says a thread was lost.
      expect(error?.message).toMatch(
        /^signer district-seal: signing failed: sm2 worker: exited with code \d+/,
      );
      expect(await signer.sign(messages)).toHaveLength(messages.length);
    } finally {
      await signer.close();
    }
  });
});
