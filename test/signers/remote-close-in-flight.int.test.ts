/**
 * A remote signer closed while a batch is at the server (a worker stopped hard, a command
 * interrupted): the answer that comes back afterwards is checked with the server's key as any
 * other. The checks read the key from the open signer, which close() had let go, so such an
 * answer was handed back unchecked: signatures made with another key, or over other digests, to
 * be recorded as the version's signature.
 */
import { afterEach, expect, it } from 'vitest';
import { generateSm2KeyPair, loadSm2PrivateKey } from '../../adapters/signers/local-sm2/keys.js';
import type { LocalServer } from '../support/listen-local.js';
import {
  remoteSigner,
  servingKey,
  signaturesAnswer,
  signedWith,
  signingStandIn,
} from './remote-signer-fixture.js';

const served = generateSm2KeyPair();
const otherKey = loadSm2PrivateKey('other', generateSm2KeyPair().privateKeyPem).privateKey;

let server: LocalServer | undefined;
afterEach(() => server?.close());

it('an answer that arrives after close() is still verified: another key is refused', async () => {
  let asked: () => void = () => undefined;
  const askedOnce = new Promise<void>((r) => {
    asked = r;
  });
  let answer: () => void = () => undefined;
  const released = new Promise<void>((r) => {
    answer = r;
  });
  server = await signingStandIn({
    key: servingKey(served.publicKeyPem),
    sign: async (digests, res) => {
      asked();
      await released;
      // Signed with a key that is not the one the server published.
      res.end(signaturesAnswer(signedWith(otherKey, digests)));
    },
  });
  const signer = remoteSigner('seal-server', server.origin, { batchSize: 50 });
  await signer.open();
  const signing = signer.sign([Buffer.from('{"license":1}'), Buffer.from('{"license":2}')]).then(
    (records) => records.length,
    (e: Error) => e.message,
  );
  await askedOnce;
  await signer.close();
  answer();
  expect(await signing).toMatch(/signature 0 of the batch does not verify/);
});
