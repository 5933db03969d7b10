// An electronic seal made by licbridge (GB/T 38540 v4) read by a generic ASN.1 tool, and the
// seal maker's SM2 signature checked by OpenSSL over the DER of SES_SealInfo — the bytes the
// standard has the maker sign — with the default distinguishing id.
import { X509Certificate } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { drawRoundSeal } from '../../adapters/documents/png-writer.js';
import { checkSeal } from '../../adapters/signers/ses/check-seal.js';
import { makeSeal } from '../../adapters/signers/ses/make-seal.js';
import { decodeSeal, type SesSeal } from '../../adapters/signers/ses/seal-format.js';
import { makeTempDir } from '../signers/helpers.js';
import { asn1parse, contentBytes, openedSigner, opensslVerify, type Party, party, tlvBytes } from './pki.js';

describe('SES_Seal v4 with OpenSSL', () => {
  let dir: string;
  let cleanup: () => void;
  let maker: Party;
  let holder: Party;
  let seal: SesSeal;
  const image = drawRoundSeal(160);

  beforeAll(async () => {
    ({ dir, cleanup } = makeTempDir());
    maker = party(dir, 'maker', 'Seal Maker Test CA');
    holder = party(dir, 'holder', 'West Coast Market Bureau');
    const signer = await openedSigner('maker', maker);
    seal = await makeSeal({
      maker: signer,
      holderCertificatePem: readFileSync(holder.certPath, 'utf8'),
      image,
      name: '青岛西海岸新区市场监督管理局电子证照专用章',
      esId: '37021100000001',
      type: 2,
      widthMm: 42,
      heightMm: 42,
      vendorId: 'licbridge',
      now: new Date(),
    });
    await signer.close();
    writeFileSync(join(dir, 'seal.esl'), seal.der);
  });
  afterAll(() => cleanup());

  it('parses with openssl asn1parse, fields where GB/T 38540 puts them', () => {
    const lines = asn1parse(join(dir, 'seal.esl'));
    const texts = lines.map((l) => `${l.depth} ${l.text.trim()}`);
    // SESeal { eSealInfo { header { "ES", 4, vid }, esID, property {…}, picture {…} }, cert, alg, signedValue }
    expect(texts.slice(0, 6)).toEqual([
      '0 cons: SEQUENCE',
      '1 cons: SEQUENCE',
      '2 cons: SEQUENCE',
      '3 prim: IA5STRING         :ES',
      '3 prim: INTEGER           :04',
      '3 prim: IA5STRING         :licbridge',
    ]);
    expect(texts).toContain('2 prim: IA5STRING         :37021100000001');
    expect(texts).toContain('3 prim: UTF8STRING        :青岛西海岸新区市场监督管理局电子证照专用章');
    expect(texts).toContain('3 prim: IA5STRING         :png');
    const top = lines.filter((l) => l.depth === 1).map((l) => l.text.trim().split(/\s+/).slice(1).join(' '));
    expect(top[0]).toBe('SEQUENCE');
    expect(top[1]).toMatch(/^OCTET STRING/);
    expect(top[2]).toMatch(/^OBJECT\s*:1\.2\.156\.10197\.1\.501|^OBJECT\s*:SM2-with-SM3/);
    expect(top[3]).toBe('BIT STRING');
    // Validity, as GeneralizedTime, equals the holder certificate's (art. 10).
    const times = lines.filter((l) => l.text.includes('GENERALIZEDTIME')).map((l) => l.text.split(':').pop());
    const cert = readFileSync(holder.certPath, 'utf8');
    const x = new X509Certificate(cert);
    const gt = (d: string) =>
      new Date(d)
        .toISOString()
        .replace(/\.\d{3}Z$/, 'Z')
        .replace(/[-:T]/g, '');
    expect(times.slice(1)).toEqual([gt(x.validFrom), gt(x.validTo)]);
  });

  it("the maker's signature verifies with openssl over the DER of SES_SealInfo", () => {
    const der = readFileSync(join(dir, 'seal.esl'));
    const top = asn1parse(join(dir, 'seal.esl')).filter((l) => l.depth === 1);
    const [info, cert, , sig] = top as [(typeof top)[0], (typeof top)[0], (typeof top)[0], (typeof top)[0]];
    const ok = opensslVerify(dir, contentBytes(der, cert), tlvBytes(der, info), contentBytes(der, sig));
    expect(ok.output).toContain('Signature Verified Successfully');
    // The maker's certificate in the seal is the maker's own.
    expect(
      Buffer.from(contentBytes(der, cert)).equals(
        Buffer.from(new X509Certificate(readFileSync(maker.certPath)).raw),
      ),
    ).toBe(true);
    // One byte changed in SES_SealInfo (inside the seal name): OpenSSL rejects it, and so does licbridge.
    const tampered = Buffer.from(der);
    const nameAt = tampered.indexOf(Buffer.from('电子证照专用章', 'utf8'));
    expect(nameAt).toBeGreaterThan(0);
    tampered[nameAt + 1] = (tampered[nameAt + 1] as number) ^ 0x01;
    const bad = opensslVerify(
      dir,
      contentBytes(tampered, cert),
      tlvBytes(tampered, info),
      contentBytes(tampered, sig),
    );
    expect(bad.ok).toBe(false);
    expect(checkSeal(decodeSeal(tampered), new Date()).problems.join('; ')).toContain(
      "maker's signature does not verify",
    );
  });

  it('decodes to what was made, and checks as valid now but not after the certificate ends', () => {
    const back = decodeSeal(readFileSync(join(dir, 'seal.esl')));
    expect(back.info.name).toBe('青岛西海岸新区市场监督管理局电子证照专用章');
    expect(back.info.type).toBe(2);
    expect(Buffer.from(back.info.picture.data).equals(image)).toBe(true);
    expect(back.info.holderCertificates).toHaveLength(1);
    expect(checkSeal(back, new Date()).problems).toEqual([]);
    const late = new Date(back.info.validTo.getTime() + 1000);
    expect(checkSeal(back, late).problems.join('; ')).toMatch(/^the seal expired before/);
  });
});
