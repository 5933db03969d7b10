// A sealed license file states its signing time twice: the OFD's SignatureDateTime, which readers
// show, and the SES_Signature's timeInfo, at which every check is made. Both are the text of one
// Date, seconds kept and milliseconds dropped the same way, at a second's boundary and inside it.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { issueLicenseFiles } from '../../adapters/documents/ofd/issue-license-file.js';
import { SIGNATURE_XML, SIGNED_VALUE } from '../../adapters/documents/ofd/ofd-signature.js';
import { verifyOfd } from '../../adapters/documents/ofd/ofd-verify.js';
import { readZip } from '../../adapters/documents/zip/zip-reader.js';
import { generalizedTime, generalizedTimeText } from '../../adapters/signers/ses/der-writer.js';
import type { SealSigner } from '../../adapters/signers/ses/seal-signer.js';
import { decodeSesSignature } from '../../adapters/signers/ses/signature-format.js';
import { makeTempDir } from '../signers/helpers.js';
import { foodLicense, foodTemplate } from './fixtures.js';
import { type SealKit, sealKit } from './seal-kit.js';

/** `YYYYMMDDHHMMSSZ` written out from the UTC fields of the whole second `ms` lies in. */
function expectedText(ms: number): string {
  const d = new Date(Math.floor(ms / 1000) * 1000);
  const two = (n: number) => String(n).padStart(2, '0');
  return `${d.getUTCFullYear()}${two(d.getUTCMonth() + 1)}${two(d.getUTCDate())}${two(d.getUTCHours())}${two(d.getUTCMinutes())}${two(d.getUTCSeconds())}Z`;
}

/** The timeInfo text as TBS_Sign carries it: the GeneralizedTime right after the embedded seal. */
function timeInfoText(signedValue: Buffer): string {
  const ses = decodeSesSignature(signedValue);
  const tbs = Buffer.from(ses.signedBytes);
  const at = tbs.indexOf(Buffer.from(ses.seal.der)) + ses.seal.der.length;
  expect(tbs[at]).toBe(0x18);
  const length = tbs[at + 1] as number;
  return tbs.subarray(at + 2, at + 2 + length).toString('latin1');
}

describe('the signing time of a sealed license file', () => {
  let cleanup: () => void;
  let kit: SealKit;
  let seal: SealSigner;

  beforeAll(async () => {
    let dir: string;
    ({ dir, cleanup } = makeTempDir());
    kit = await sealKit(dir);
    seal = kit.sealSigner();
    await seal.open();
  });
  afterAll(async () => {
    await seal.close();
    cleanup();
  });

  it('is one text in SignatureDateTime and in timeInfo, at and inside a second', async () => {
    // A whole second a minute from now: inside the seal's and the certificate's validity.
    const second = Math.floor(Date.now() / 1000) * 1000 + 60_000;
    for (const offset of [0, 1, 500, 999, -1]) {
      const signedAt = new Date(second + offset);
      const [file] = (await issueLicenseFiles(
        [{ license: foodLicense(3), template: foodTemplate }],
        seal,
        signedAt,
      )) as [Buffer];
      const zip = readZip(file);
      const shown = /<ofd:SignatureDateTime>([^<]*)<\/ofd:SignatureDateTime>/.exec(
        zip.read(SIGNATURE_XML).toString('utf8'),
      )?.[1];
      const stated = timeInfoText(zip.read(SIGNED_VALUE));
      expect(shown, `offset ${offset} ms`).toBe(stated);
      expect(stated, `offset ${offset} ms`).toBe(expectedText(second + offset));
      expect(verifyOfd(file, kit.trust, new Date(second + 120_000)).ok).toBe(true);
    }
  });

  it('is written only with a four-digit year, as GeneralizedTime has', () => {
    expect(generalizedTimeText(new Date(Date.UTC(9999, 11, 31, 23, 59, 59, 999)))).toBe('99991231235959Z');
    expect(generalizedTimeText(new Date('0001-01-01T00:00:00.250Z'))).toBe('00010101000000Z');
    for (const at of [new Date(Date.UTC(10000, 0, 1)), new Date(Date.UTC(-1, 0, 1))]) {
      expect(() => generalizedTime(at)).toThrow(/GeneralizedTime: year -?\d+ is outside 0000 to 9999/);
    }
    expect(() => generalizedTime(new Date(Number.NaN))).toThrow(/GeneralizedTime: invalid date/);
  });
});
