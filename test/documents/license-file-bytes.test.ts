// A license file's bytes depend on the license, the template, the signing time and the signature
// alone: the same inputs give the same file however often the code ran before (interpreted at
// first, compiled by V8 later in a run), and the same file the code gave when these digests were
// taken. The SM2 signature is random, so a fixed stand-in takes its place in the SES_Signature.
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { layoutFace } from '../../adapters/documents/face/layout.js';
import { docInfoFor } from '../../adapters/documents/ofd/issue-license-file.js';
import { buildOfd } from '../../adapters/documents/ofd/ofd-package.js';
import { finishSignature, prepareSignatures, stampBox } from '../../adapters/documents/ofd/ofd-signature.js';
import { generalizedTime } from '../../adapters/signers/ses/der-writer.js';
import {
  encodeSesSignatureAround,
  encodeTbsSignAt,
  sesSignatureMiddle,
  tbsSignPrefix,
} from '../../adapters/signers/ses/signature-format.js';
import type { License } from '../../catalog/license.js';
import { foodLicense, foodTemplate } from './fixtures.js';

/** Licenses whose faces differ in the ways the code branches on. */
function licenses(): { license: License; timeZone?: string }[] {
  const plain = foodLicense(1);
  return [
    { license: plain },
    { license: foodLicense(2), timeZone: 'UTC' },
    // Markup characters escaped in the page and OFD.xml.
    { license: { ...foodLicense(3), holder: { ...plain.holder, name: '青岛"海韵"餐饮<一店>&二店' } } },
    // One business item; a short address.
    {
      license: {
        ...foodLicense(4),
        surface: { ...plain.surface, premises: '长江中路1号', businessItems: ['预包装食品销售'] },
      },
    },
    // A line break and a tab in the address, a long legal representative's name.
    {
      license: {
        ...foodLicense(5),
        surface: {
          ...plain.surface,
          legalRepresentative: '欧阳王海',
          premises: '山东省青岛市黄岛区\r\n长江中路\t216号',
        },
      },
    },
    { license: { ...foodLicense(6), validTo: undefined as unknown as string } },
  ];
}

/** SHA-256 of each file, one batch sealed with stand-ins for the seal's DER and the signature. */
function fileDigests(): string[] {
  const signedAt = new Date('2026-03-04T05:06:07Z');
  const picture = { widthMm: 40, heightMm: 40 };
  const prepared = prepareSignatures(
    licenses().map(({ license, timeZone }) => {
      const info = docInfoFor(license, signedAt, timeZone);
      return {
        doc: buildOfd(layoutFace(foodTemplate, license), info),
        info,
        stamp: stampBox(foodTemplate.seal, picture),
      };
    }),
    signedAt,
  );
  const prefix = tbsSignPrefix(Buffer.alloc(600, 0x5a));
  const middle = sesSignatureMiddle(Buffer.alloc(400, 0xa5), '1.2.156.10197.1.501');
  const time = generalizedTime(signedAt);
  return prepared.map((p, i) => {
    const tbs = encodeTbsSignAt(prefix, time, p);
    const ses = encodeSesSignatureAround(tbs, middle, Buffer.alloc(71, i + 1));
    return createHash('sha256').update(finishSignature(p, ses)).digest('hex');
  });
}

// Taken again when the ZIP entries' times became the wall clock of the file's zone (China
// Standard Time, but for the second file's UTC, whose digest stayed): nothing else changed.
const EXPECTED = [
  '480ccd5e632491760c248a34fb44b64536e37f9abd5a6b951a55cf5148c88131',
  '9370ad975f6f9e2e9c14597c24b17b4b5a20f7160edfae35e31c8636382361aa',
  '4486c8291d3e5d7b63c4a179724f4521555b21238ae8b2145e2be6dca47c0ef9',
  '572abe8fad38cee73fbb0bad8cff703480613375078d33c1b0797453f4de70d6',
  '7503c4a8998bb414d159636f1e0d4589486981959179694a6b930be8987e5472',
  'ab1287d328d33b82506ac5e161a9fbbff6ffbef9ef6304231adb50e3d4cace0f',
];

describe('license file bytes', () => {
  it('are the bytes the code gave when these digests were taken', () => {
    expect(fileDigests()).toEqual(EXPECTED);
  });

  it('stay the same while the code is compiled over a run', () => {
    const first = fileDigests();
    for (let run = 0; run < 300; run++) expect(fileDigests()).toEqual(first);
  });
});
