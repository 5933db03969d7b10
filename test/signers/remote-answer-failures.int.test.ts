/**
 * How the remote signer names what is wrong with a signing server's answer. A signature that does
 * not verify names the seal, the key (its fingerprint) and the certificate serial it was checked
 * against, and what did not match: a signature that verifies over another digest of the batch (an
 * answer out of order) or over none of them with the server's key — never key material, a digest
 * or the signed content. A 200 whose JSON is not an object (`null`) fails named, not as a TypeError;
 * one that states an error instead of the answer has it quoted, where it said only "got none".
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { keyFingerprint, readCertificate } from '../../adapters/signers/certificate.js';
import { generateSm2KeyPair, loadSm2PrivateKey } from '../../adapters/signers/local-sm2/keys.js';
import type { RemoteSigner } from '../../adapters/signers/remote/remote-signer.js';
import { ErrorCodes, LicbridgeError } from '../../core/errors.js';
import type { LocalServer } from '../support/listen-local.js';
import { makeTempDir, selfSignedCertificate } from './helpers.js';
import {
  remoteSigner,
  servingKey,
  signaturesAnswer,
  signedWith,
  signFailure,
  signingStandIn,
} from './remote-signer-fixture.js';

const served = generateSm2KeyPair();
const servedKey = loadSm2PrivateKey('served', served.privateKeyPem).privateKey;
const otherKey = loadSm2PrivateKey('other', generateSm2KeyPair().privateKeyPem).privateKey;
const tmp = makeTempDir();
writeFileSync(join(tmp.dir, 'key.pem'), served.privateKeyPem);
selfSignedCertificate(tmp.dir);
const certPath = join(tmp.dir, 'cert.pem');
const serial = readCertificate('t', certPath).serial;
afterAll(() => tmp.cleanup());

let server: LocalServer | undefined;
afterEach(() => server?.close());

/** A server serving `served`'s key; sign requests answered by `answer` (a JSON text). */
async function serve(answer: (digests: Buffer[]) => string, key = servingKey(served.publicKeyPem)) {
  server = await signingStandIn({ key, sign: (digests, res) => res.end(answer(digests)) });
  return remoteSigner('seal-server', server.origin, {
    keyLabel: 'district-key',
    certificate: certPath,
    batchSize: 20,
  });
}
const messages = Array.from({ length: 20 }, (_, i) =>
  Buffer.from(`{"holder":{"name":"张三${i}","id":"11010519491231002X"}}`),
);

const failure = (signer: RemoteSigner): Promise<LicbridgeError> => signFailure(signer, messages);

function expectNothingPrivate(err: LicbridgeError, digests: Buffer[]) {
  expect(err.message).not.toMatch(/张三|11010519491231002X|BEGIN|PRIVATE/);
  for (const d of digests) expect(err.message).not.toContain(d.toString('hex'));
}

describe('a signature that does not verify', () => {
  it('answered out of order: names the seal, key, certificate serial and the digest it does verify over', async () => {
    let sent: Buffer[] = [];
    const signer = await serve((digests) => {
      sent = digests;
      return signaturesAnswer(signedWith(servedKey, digests).reverse());
    });
    const err = await failure(signer);
    expect(err.code).toBe(ErrorCodes.SIGNER_FAILED);
    expect(err.message).toContain('signer seal-server: seal seal-1');
    expect(err.message).toContain(`key ${keyFingerprint(served.publicKeyPem)}`);
    expect(err.message).toContain(`certificate serial ${serial}`);
    expect(err.message).toMatch(
      /signature 0 of the batch does not verify over the digest sent with the server's key: it verifies over digest 19 of the batch \(the server answered out of order\)/,
    );
    expect(err.context).toMatchObject({ signer: 'seal-server', sealId: 'seal-1', certificateSerial: serial });
    expectNothingPrivate(err, sent);
  });

  it('made with another key: says it verifies over none of the digests sent with that key', async () => {
    let sent: Buffer[] = [];
    const signer = await serve((digests) => {
      sent = digests;
      return signaturesAnswer(signedWith(otherKey, digests));
    });
    const err = await failure(signer);
    expect(err.message).toContain(`certificate serial ${serial}`);
    expect(err.message).toMatch(
      /signature 0 of the batch does not verify over the digest sent with the server's key: it verifies over none of the batch's 20 digests with key [0-9a-f]{16}/,
    );
    expectNothingPrivate(err, sent);
  });
});

describe('a 200 whose JSON is not the documented object', () => {
  it('a sign answer of null fails named, retryable', async () => {
    const signer = await serve(() => 'null');
    const err = await failure(signer);
    expect(err.code).toBe(ErrorCodes.SIGNER_FAILED);
    expect(err.retryable).toBe(true);
    expect(err.message).toMatch(/signer seal-server: .*sign: expected 20 signatures, got none/);
  });

  it('a key answer of null fails named at open()', async () => {
    const signer = await serve(
      () => 'null',
      () => 'null',
    );
    const err = await signer.open().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(LicbridgeError);
    expect((err as Error).message).toMatch(
      /signer seal-server: \/v1\/keys\/district-key: the server sent no publicKey/,
    );
  });
});

describe('a 200 that carries an error instead of the answer', () => {
  it('a sign answer names what the server says, still retryable', async () => {
    const signer = await serve(() =>
      JSON.stringify({ code: 'E1007', message: 'key district-key is locked:\n  PIN required' }),
    );
    const err = await failure(signer);
    expect(err.code).toBe(ErrorCodes.SIGNER_FAILED);
    expect(err.retryable).toBe(true);
    expect(err.message).toMatch(
      /sign: expected 20 signatures, got none; the server says: E1007 key district-key is locked: PIN required$/,
    );
  });

  it('a key answer names what the server says at open()', async () => {
    const signer = await serve(
      () => 'null',
      () => JSON.stringify({ errorCode: 404, errMsg: 'no key labelled district-key' }),
    );
    const err = await signer.open().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(LicbridgeError);
    expect((err as Error).message).toMatch(
      /\/v1\/keys\/district-key: the server sent no publicKey; the server says: 404 no key labelled district-key$/,
    );
  });

  it('quotes at most 200 characters of it, marked as cut', async () => {
    const signer = await serve(() => JSON.stringify({ error: 'x'.repeat(5000) }));
    const err = await failure(signer);
    expect(err.message).toMatch(/; the server says: x{200}…$/);
  });
});
