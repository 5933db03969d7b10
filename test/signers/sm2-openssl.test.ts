// Interoperability with OpenSSL's SM2 (the reference verifier of STANDARDS.md §4), in both
// directions, plus the Node crypto.sign('sm3') pitfall.
import { createPrivateKey, generateKeyPairSync, sign as nodeSign } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateSm2KeyPair, loadSm2PrivateKey } from '../../adapters/signers/local-sm2/keys.js';
import { verifySm2Signature } from '../../adapters/signers/local-sm2/local-sm2-signer.js';
import { sm2Sign, sm2Verify } from '../../adapters/signers/local-sm2/sm2.js';
import { makeTempDir, openssl } from './helpers.js';

const MESSAGE = Buffer.from(
  '{"证照名称":"食品经营许可证","持证主体":"青岛某某餐饮有限公司","有效期至":"2030-12-31"}',
  'utf8',
);

function opensslVerify(dir: string, files: { pub: string; msg: string; sig: string }, distId: string) {
  return openssl(
    [
      'pkeyutl',
      '-verify',
      '-rawin',
      '-digest',
      'sm3',
      '-pubin',
      '-inkey',
      files.pub,
      '-sigfile',
      files.sig,
      '-in',
      files.msg,
      '-pkeyopt',
      `distid:${distId}`,
    ],
    dir,
  );
}

describe('SM2 interoperability with OpenSSL', () => {
  let dir: string;
  let cleanup: () => void;
  const pair = generateSm2KeyPair();
  const loaded = loadSm2PrivateKey('test-seal', pair.privateKeyPem);

  beforeAll(() => {
    ({ dir, cleanup } = makeTempDir());
    writeFileSync(join(dir, 'pub.pem'), pair.publicKeyPem);
    writeFileSync(join(dir, 'key.pem'), pair.privateKeyPem);
    writeFileSync(join(dir, 'msg'), MESSAGE);
    writeFileSync(join(dir, 'tampered'), Buffer.concat([MESSAGE, Buffer.from(' ')]));
  });
  afterAll(() => cleanup());

  it.each(['1234567812345678', 'seal-370211-0001'])(
    'OpenSSL verifies our signature (distid %s)',
    (distId) => {
      writeFileSync(join(dir, 'sig.der'), sm2Sign(loaded.privateKey, MESSAGE, distId));
      const ok = opensslVerify(dir, { pub: 'pub.pem', msg: 'msg', sig: 'sig.der' }, distId);
      expect(ok.output).toContain('Signature Verified Successfully');
      expect(ok.status).toBe(0);

      const tampered = opensslVerify(dir, { pub: 'pub.pem', msg: 'tampered', sig: 'sig.der' }, distId);
      expect(tampered.status).not.toBe(0);
      expect(tampered.output).toContain('Signature Verification Failure');

      const otherId = opensslVerify(dir, { pub: 'pub.pem', msg: 'msg', sig: 'sig.der' }, `${distId}X`);
      expect(otherId.status).not.toBe(0);
    },
  );

  it.each(['1234567812345678', 'seal-370211-0001'])('we verify OpenSSL signatures (distid %s)', (distId) => {
    const res = openssl(
      [
        'pkeyutl',
        '-sign',
        '-rawin',
        '-digest',
        'sm3',
        '-inkey',
        'key.pem',
        '-in',
        'msg',
        '-out',
        'osig.der',
        '-pkeyopt',
        `distid:${distId}`,
      ],
      dir,
    );
    expect(res.status).toBe(0);
    const sig = readFileSync(join(dir, 'osig.der'));
    expect(sm2Verify(loaded.privateKey.publicKey, MESSAGE, sig, distId)).toBe(true);
    expect(verifySm2Signature(pair.publicKeyPem, MESSAGE, sig, distId)).toBe(true);
    expect(verifySm2Signature(pair.publicKeyPem, Buffer.concat([MESSAGE, Buffer.of(0)]), sig, distId)).toBe(
      false,
    );
  });
});

// STANDARDS.md §4 pitfall: Node's crypto.sign('sm3', …) does not make a default-id SM2 signature.
describe("Node's crypto.sign('sm3') is not an SM2 signature with the default id", () => {
  it('a freshly generated SM2 key: the result (ECDSA on the SM2 curve) is rejected', () => {
    const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'SM2' });
    const pem = publicKey.export({ type: 'spki', format: 'pem' }).toString();
    const sig = nodeSign('sm3', MESSAGE, privateKey);
    expect(verifySm2Signature(pem, MESSAGE, sig)).toBe(false);
  });

  it('a key loaded from PEM: the result is SM2 over an EMPTY id, so default-id verifiers reject it', () => {
    const pair = generateSm2KeyPair();
    const sig = nodeSign('sm3', MESSAGE, createPrivateKey(pair.privateKeyPem));
    expect(verifySm2Signature(pair.publicKeyPem, MESSAGE, sig)).toBe(false);
    // What it actually is on OpenSSL 3: Z computed with ENTL = 0.
    expect(verifySm2Signature(pair.publicKeyPem, MESSAGE, sig, '')).toBe(true);
  });
});
