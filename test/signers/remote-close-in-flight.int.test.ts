/**
 * A remote signer closed while a batch is at the server (a worker stopped hard, a command
 * interrupted): the answer that comes back afterwards is checked with the server's key as any
 * other. The checks read the key from the open signer, which close() had let go, so such an
 * answer was handed back unchecked: signatures made with another key, or over other digests, to
 * be recorded as the version's signature.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, expect, it } from 'vitest';
import { encodeSm2Signature } from '../../adapters/signers/local-sm2/der.js';
import { generateSm2KeyPair, loadSm2PrivateKey } from '../../adapters/signers/local-sm2/keys.js';
import { sm2SignDigest } from '../../adapters/signers/local-sm2/sm2.js';
import { RemoteSigner } from '../../adapters/signers/remote/remote-signer.js';

const served = generateSm2KeyPair();
const otherKey = loadSm2PrivateKey('other', generateSm2KeyPair().privateKeyPem).privateKey;

let server: Server | undefined;
afterEach(
  () =>
    new Promise<void>((r) => {
      server?.closeAllConnections();
      return server ? server.close(() => r()) : r();
    }),
);

it('an answer that arrives after close() is still verified: another key is refused', async () => {
  let asked: () => void = () => undefined;
  const askedOnce = new Promise<void>((r) => {
    asked = r;
  });
  let answer: () => void = () => undefined;
  const released = new Promise<void>((r) => {
    answer = r;
  });
  server = createServer((req, res) => {
    let body = '';
    req.on('data', (c) => {
      body += c;
    });
    req.on('end', async () => {
      res.setHeader('content-type', 'application/json');
      if (req.method === 'GET') return res.end(JSON.stringify({ publicKey: served.publicKeyPem }));
      const { digests } = JSON.parse(body) as { digests: string[] };
      asked();
      await released;
      // Signed with a key that is not the one the server published.
      const signatures = digests.map((d) =>
        Buffer.from(encodeSm2Signature(sm2SignDigest(otherKey, Buffer.from(d, 'hex')))).toString('base64'),
      );
      res.end(JSON.stringify({ signatures }));
    });
  });
  await new Promise<void>((r) => server?.listen(0, '127.0.0.1', () => r()));
  const signer = new RemoteSigner('seal-server', {
    kind: 'remote',
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    sealId: 'seal-1',
    auth: { scheme: 'none' },
    distId: '1234567812345678',
    batchSize: 50,
    concurrency: 2,
    timeoutMs: 5000,
    attempts: 1,
    backoffMs: 5,
  } as never);
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
