// Signing with an electronic seal: the SES_Signature a document gets verifies with OpenSSL over
// the DER of TBS_Sign, and a seal that is revoked, lost, expired or not the signer's is refused
// before the first signature — with a message that names the seal.
import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { drawRoundSeal } from '../../adapters/documents/png-writer.js';
import { LocalSm2Signer } from '../../adapters/signers/local-sm2/local-sm2-signer.js';
import { SealSigner } from '../../adapters/signers/ses/seal-signer.js';
import { decodeSesSignature } from '../../adapters/signers/ses/signature-format.js';
import type { SealConfig } from '../../config/types.js';
import { makeTempDir } from '../signers/helpers.js';
import {
  asn1parse,
  CountingSigner,
  contentBytes,
  openedSigner,
  opensslVerify,
  type Party,
  party,
  tlvBytes,
  writeSeal,
} from './pki.js';

describe('signing with a seal', () => {
  let dir: string;
  let cleanup: () => void;
  let holder: Party;
  let other: Party;
  let sealFile: string;

  beforeAll(async () => {
    ({ dir, cleanup } = makeTempDir());
    const maker = party(dir, 'maker', 'Seal Maker');
    holder = party(dir, 'holder', 'Issuing Unit', 10);
    other = party(dir, 'other', 'Another Unit', 10);
    sealFile = await writeSeal(join(dir, 'unit.esl'), await openedSigner('maker', maker), holder, {
      image: drawRoundSeal(96),
      name: '测试电子证照专用章',
      esId: 'seal-test-1',
      type: 1,
      widthMm: 40,
      heightMm: 40,
    });
  });
  afterAll(() => cleanup());

  const config = (status: SealConfig['status'] = 'active'): SealConfig => ({
    file: sealFile,
    signer: 'unit',
    status,
  });

  it('makes an SES_Signature whose signature OpenSSL verifies over TBS_Sign, with dataHash the SM3 of the signed file', async () => {
    const signer = new SealSigner('unit-seal', config(), new LocalSm2Signer('unit', holder.config));
    await signer.open();
    const document = Buffer.from('<ofd:Signature>…</ofd:Signature>', 'utf8');
    writeFileSync(join(dir, 'Signature.xml'), document);
    const [der] = await signer.sign([
      {
        dataHash: createHash('sm3').update(document).digest(),
        propertyInfo: '/Doc_0/Signs/Sign_0/Signature.xml',
      },
    ]);
    await signer.close();
    writeFileSync(join(dir, 'SignedValue.dat'), der as Uint8Array);

    const bytes = readFileSync(join(dir, 'SignedValue.dat'));
    const lines = asn1parse(join(dir, 'SignedValue.dat'));
    const top = lines.filter((l) => l.depth === 1);
    const kinds = top.map((l) => /(SEQUENCE|OCTET STRING|OBJECT|BIT STRING)/.exec(l.text)?.[1]);
    expect(kinds).toEqual(['SEQUENCE', 'OCTET STRING', 'OBJECT', 'BIT STRING']);
    const [tbs, cert, , sig] = top as [(typeof top)[0], (typeof top)[0], (typeof top)[0], (typeof top)[0]];
    const ok = opensslVerify(dir, contentBytes(bytes, cert), tlvBytes(bytes, tbs), contentBytes(bytes, sig));
    expect(ok.output).toContain('Signature Verified Successfully');
    // TBS_Sign { version 4, eseal, timeInfo, dataHash, propertyInfo }: the hash is OpenSSL's SM3 of the file.
    const inTbs = lines.filter((l) => l.depth === 2);
    expect(inTbs[0]?.text).toMatch(/INTEGER\s+:04/);
    expect(inTbs[2]?.text).toMatch(/GENERALIZEDTIME\s+:\d{14}Z/);
    expect(inTbs[4]?.text).toMatch(/IA5STRING\s+:\/Doc_0\/Signs\/Sign_0\/Signature.xml/);
    const { execFileSync } = await import('node:child_process');
    const sm3 = execFileSync('openssl', ['dgst', '-sm3', '-r', 'Signature.xml'], {
      cwd: dir,
      encoding: 'utf8',
    }).split(' ')[0];
    expect(Buffer.from(contentBytes(bytes, inTbs[3] as (typeof top)[0])).toString('hex')).toBe(sm3);
    // The embedded seal is the seal file, byte for byte; the certificate is the holder's.
    expect(Buffer.from(tlvBytes(bytes, inTbs[1] as (typeof top)[0])).equals(readFileSync(sealFile))).toBe(
      true,
    );
    const decoded = decodeSesSignature(bytes);
    expect(decoded.propertyInfo).toBe('/Doc_0/Signs/Sign_0/Signature.xml');
  });

  it.each([
    ['revoked', /seal unit-seal: marked revoked in the config; refusing to sign \(art\. 18/],
    ['lost', /seal unit-seal: marked lost in the config; refusing to sign \(art\. 19/],
  ] as const)('refuses a seal marked %s before the first signature', async (status, message) => {
    const inner = new CountingSigner('unit', holder.config);
    const signer = new SealSigner('unit-seal', config(status), inner);
    await expect(signer.open()).rejects.toThrow(message);
    await expect(signer.sign([{ dataHash: new Uint8Array(32), propertyInfo: '/x' }])).rejects.toThrow(
      /seal unit-seal/,
    );
    expect(inner.signed).toBe(0);
  });

  it('refuses an expired seal before the first signature, naming it', async () => {
    const inner = new CountingSigner('unit', holder.config);
    const later = new Date(Date.now() + 20 * 86_400_000);
    const signer = new SealSigner('unit-seal', config(), inner, { now: () => later });
    await expect(signer.open()).rejects.toThrow(/^seal unit-seal: cannot sign: the seal expired before/);
    expect(inner.signed).toBe(0);
  });

  it('refuses a signer whose certificate the seal does not list', async () => {
    const inner = new CountingSigner('other', other.config);
    const signer = new SealSigner('unit-seal', { ...config(), signer: 'other' }, inner);
    await expect(signer.open()).rejects.toThrow(
      /seal unit-seal: the certificate of signer other .* is not one the seal lists/,
    );
    expect(inner.signed).toBe(0);
  });
});
