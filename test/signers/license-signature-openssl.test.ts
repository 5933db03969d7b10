// A third party verifies a licbridge license signature with OpenSSL alone, exactly as
// docs/signatures.md describes: the JCS bytes of the stored license, the seal's public key
// (from its certificate), the DER signature and the distinguishing id.
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateSm2KeyPair } from '../../adapters/signers/local-sm2/keys.js';
import { LocalSm2Signer } from '../../adapters/signers/local-sm2/local-sm2-signer.js';
import { canonicalBytes } from '../../catalog/canonical.js';
import { candidate } from '../ledger/fixtures.js';
import { makeTempDir, openssl } from './helpers.js';

const license = candidate({ n: 42, content: '热食类食品制售' }).build(1);

function verifyWithOpenssl(dir: string, msg: string, distId: string) {
  return openssl(
    [
      'pkeyutl',
      '-verify',
      '-rawin',
      '-digest',
      'sm3',
      '-pubin',
      '-inkey',
      'pub.pem',
      '-sigfile',
      'sig.der',
      '-in',
      msg,
      '-pkeyopt',
      `distid:${distId}`,
    ],
    dir,
  );
}

describe('a license signature verifies with openssl alone', () => {
  let dir: string;
  let cleanup: () => void;
  beforeAll(() => {
    ({ dir, cleanup } = makeTempDir());
  });
  afterAll(() => cleanup());

  it.each([
    ['the default distinguishing id', '1234567812345678', 0],
    ['a configured distinguishing id, on the worker pool', 'seal-370211@licbridge', 2],
  ] as const)('with %s', async (_what, distId, workers) => {
    const { privateKeyPem } = generateSm2KeyPair();
    writeFileSync(join(dir, 'key.pem'), privateKeyPem, { mode: 0o600 });
    // A self-signed SM2 seal certificate made by OpenSSL; the verifier takes the key from it.
    execFileSync(
      'openssl',
      [
        'req',
        '-x509',
        '-new',
        '-key',
        'key.pem',
        '-sm3',
        '-sigopt',
        'distid:1234567812345678',
        '-subj',
        '/CN=test seal',
        '-days',
        '2',
        '-out',
        'cert.pem',
      ],
      { cwd: dir },
    );
    const signer = new LocalSm2Signer('district-seal', {
      kind: 'local-sm2',
      keyFile: join(dir, 'key.pem'),
      certificate: join(dir, 'cert.pem'),
      sealId: '3702110000001',
      distId,
      workers,
    });
    await signer.open();
    const [record] = await signer.sign([canonicalBytes(license)]);
    await signer.close();
    expect(record?.certificateSerial).toMatch(/^[0-9A-F]+$/);
    expect(record?.certificateIssuer).toBe('CN=test seal');

    // What the third party has: the license JSON, the certificate, the signature.
    writeFileSync(join(dir, 'license.json'), JSON.stringify(license, null, 2));
    writeFileSync(join(dir, 'sig.der'), record?.signature ?? new Uint8Array());
    execFileSync('openssl', ['x509', '-in', 'cert.pem', '-pubkey', '-noout', '-out', 'pub.pem'], {
      cwd: dir,
    });
    // RFC 8785 for this license is: keys sorted, no whitespace, UTF-8 — the bytes licbridge signs.
    writeFileSync(join(dir, 'canonical.json'), canonicalBytes(JSON.parse(JSON.stringify(license))));

    const ok = verifyWithOpenssl(dir, 'canonical.json', distId);
    expect(ok.output).toContain('Signature Verified Successfully');
    expect(ok.status).toBe(0);

    // The pretty-printed file is not the canonical form: OpenSSL rejects it.
    expect(verifyWithOpenssl(dir, 'license.json', distId).status).not.toBe(0);
    // One changed character in the holder's name: rejected.
    writeFileSync(
      join(dir, 'tampered.json'),
      canonicalBytes({ ...license, holder: { ...license.holder, name: `${license.holder.name}乙` } }),
    );
    const bad = verifyWithOpenssl(dir, 'tampered.json', distId);
    expect(bad.status).not.toBe(0);
    expect(bad.output).toContain('Signature Verification Failure');
  });
});
