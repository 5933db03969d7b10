// Which entry the signers' parse caches let go when full. A certificate read again is kept over
// one read once (an OFD's signer and seal maker are read from every file); a public key is let go
// in the order it was first read, however often it is read again.
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

const { MAX_PARSED_CERTIFICATES, parseCertificate } = await import('../../adapters/signers/certificate.js');
const { generateSm2KeyPair, parseSm2PublicKeyPem } = await import('../../adapters/signers/local-sm2/keys.js');
const { makeTempDir, selfSignedCertificate } = await import('./helpers.js');

/** Parses `pem` and tells whether that took a parse (false: the cache answered). */
function parsedAgain(pem: string): boolean {
  const before = parses.count;
  parseCertificate('seal', pem, 'cert.pem');
  return parses.count > before;
}

describe('the parsed certificates, when full', () => {
  let dir: string;
  let cleanup: () => void;
  let certificates: string[];

  beforeAll(() => {
    ({ dir, cleanup } = makeTempDir());
    writeFileSync(join(dir, 'key.pem'), generateSm2KeyPair().privateKeyPem);
    selfSignedCertificate(dir, { subject: '/CN=seal maker' });
    const der = Buffer.from(
      readFileSync(join(dir, 'cert.pem'), 'utf8').replace(/-----[^-]+-----|\s/g, ''),
      'base64',
    );
    // Distinct certificates from one: the last two bytes lie inside the signature's s, which a
    // parse reads as bytes and never checks.
    certificates = Array.from({ length: MAX_PARSED_CERTIFICATES + 2 }, (_, i) => {
      const copy = Buffer.from(der);
      copy.writeUInt16BE(i, copy.length - 2);
      const body = copy.toString('base64').replace(/.{64}/g, '$&\n');
      return `-----BEGIN CERTIFICATE-----\n${body.trimEnd()}\n-----END CERTIFICATE-----\n`;
    });
  });
  afterAll(() => cleanup());

  it('lets go the certificate read least recently, not the one read first', () => {
    const [a, b, ...rest] = certificates as [string, string, ...string[]];
    const others = rest.slice(0, MAX_PARSED_CERTIFICATES - 2);
    const next = rest[MAX_PARSED_CERTIFICATES - 2] as string;
    for (const pem of [a, b, ...others]) expect(parsedAgain(pem)).toBe(true);
    expect(parsedAgain(a)).toBe(false);
    expect(parsedAgain(next)).toBe(true);
    expect(parsedAgain(a)).toBe(false);
    expect(parsedAgain(b)).toBe(true);
  });
});

describe('the parsed public keys, when full', () => {
  it('lets go the key read first, even one read again since', () => {
    const keys = Array.from({ length: 66 }, () => generateSm2KeyPair().publicKeyPem);
    const [a, b, ...rest] = keys as [string, string, ...string[]];
    const firstA = parseSm2PublicKeyPem(a);
    const firstB = parseSm2PublicKeyPem(b);
    expect(parseSm2PublicKeyPem(a)).toBe(firstA);
    // 64 keys are remembered: the 63 others make 65 read.
    for (const pem of rest.slice(0, 63)) parseSm2PublicKeyPem(pem);
    expect(parseSm2PublicKeyPem(b)).toBe(firstB);
    expect(parseSm2PublicKeyPem(a)).not.toBe(firstA);
  });
});
