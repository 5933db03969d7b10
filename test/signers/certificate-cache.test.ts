// parseCertificate remembers certificates it has read, by the DER's digest: the same certificate
// read again (an OFD's signer and seal maker, file after file) is not parsed again, and the answer
// is the one a fresh parse gives. Anything but one clean PEM block is parsed every time.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';

const parses = vi.hoisted(() => ({ count: 0 }));
vi.mock('node:crypto', async (importOriginal) => {
  const real = await importOriginal<typeof import('node:crypto')>();
  class CountingX509 extends real.X509Certificate {
    constructor(input: ConstructorParameters<typeof real.X509Certificate>[0]) {
      parses.count++;
      super(input);
    }
  }
  return { ...real, default: real, X509Certificate: CountingX509 };
});

const { parseCertificate } = await import('../../adapters/signers/certificate.js');
const { generateSm2KeyPair } = await import('../../adapters/signers/local-sm2/keys.js');
const { makeTempDir, selfSignedCertificate } = await import('./helpers.js');

describe('parseCertificate cache', () => {
  let dir: string;
  let cleanup: () => void;
  let pem: string;

  beforeAll(() => {
    ({ dir, cleanup } = makeTempDir());
    writeFileSync(join(dir, 'key.pem'), generateSm2KeyPair().privateKeyPem);
    selfSignedCertificate(dir, { subject: '/CN=seal maker' });
    pem = readFileSync(join(dir, 'cert.pem'), 'utf8');
  });
  afterAll(() => cleanup());

  it('reads a certificate once, and gives the same answer each time', () => {
    const first = parseCertificate('a', pem, 'first');
    const before = parses.count;
    const again = parseCertificate('b', pem, 'second');
    // The same DER in another PEM layout (CRLF line ends) is the same certificate.
    const crlf = parseCertificate('c', pem.replace(/\n/g, '\r\n'), 'third');
    expect(parses.count).toBe(before);
    expect(again).toEqual(first);
    expect(crlf).toEqual(first);
    expect(first.subject).toBe('CN=seal maker');
  });

  it("a caller changing its answer's dates does not change the next answer", () => {
    const one = parseCertificate('a', pem, 'x');
    const notAfter = one.notAfter.getTime();
    one.notAfter.setTime(0);
    expect(parseCertificate('a', pem, 'x').notAfter.getTime()).toBe(notAfter);
  });

  it('a body with a stray character is still refused once the certificate is known', () => {
    parseCertificate('a', pem, 'x');
    const stray = pem.replace('\n-----END', 'A\n-----END');
    expect(() => parseCertificate('signer s', stray, 'cert.pem')).toThrow(/cert\.pem: not a valid X\.509/);
    expect(() => parseCertificate('s', 'not a pem', 'f')).toThrow(/not a valid X\.509/);
  });
});
