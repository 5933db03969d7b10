// Parts shared between license files (built, hashed and deflated once) must never carry one
// license's data into another's file: two licenses issued one after the other give files that
// differ exactly in the parts and the lines where the licenses differ, and each verifies alone.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FaceTemplate } from '../../adapters/documents/face/face-template.js';
import { boxText } from '../../adapters/documents/face/layout.js';
import { issueLicenseFiles } from '../../adapters/documents/ofd/issue-license-file.js';
import { verifyOfd } from '../../adapters/documents/ofd/ofd-verify.js';
import { SharedParts } from '../../adapters/documents/ofd/shared-parts.js';
import { readZip, type ZipArchive } from '../../adapters/documents/zip/zip-reader.js';
import type { SealSigner } from '../../adapters/signers/ses/seal-signer.js';
import type { License } from '../../catalog/license.js';
import { makeTempDir } from '../signers/helpers.js';
import { foodLicense, foodTemplate } from './fixtures.js';
import { type SealKit, sealKit } from './seal-kit.js';

const PER_LICENSE = [
  'OFD.xml',
  'Doc_0/Pages/Page_0/Content.xml',
  'Doc_0/Signs/Sign_0/Signature.xml',
  'Doc_0/Signs/Sign_0/SignedValue.dat',
];
const PER_TEMPLATE = ['Doc_0/Document.xml', 'Doc_0/PublicRes.xml', 'Doc_0/Signs/Signatures.xml'];

function lines(archive: ZipArchive): string[] {
  const page = archive.read('Doc_0/Pages/Page_0/Content.xml').toString('utf8');
  return [...page.matchAll(/<ofd:TextCode [^>]*>([^<]*)</g)].map((m) => m[1] as string);
}

/** The local file record of `name` as written in the archive (header, name, body), found by
 * walking the records from the start (a stored part may itself hold another part's name). */
function record(file: Buffer, name: string): Buffer {
  for (let at = 0; file.readUInt32LE(at) === 0x04034b50; ) {
    const nameLength = file.readUInt16LE(at + 26);
    const end = at + 30 + nameLength + file.readUInt16LE(at + 28) + file.readUInt32LE(at + 18);
    if (file.toString('utf8', at + 30, at + 30 + nameLength) === name) return file.subarray(at, end);
    at = end;
  }
  throw new Error(`no local record for ${name}`);
}

describe('parts shared between license files', () => {
  let dir: string;
  let cleanup: () => void;
  let kit: SealKit;
  let seal: SealSigner;
  // After the seal is made: a signing time before the seal's validity would not verify.
  let at: Date;
  const issue = async (license: License, template: FaceTemplate = foodTemplate): Promise<Buffer> =>
    (await issueLicenseFiles([{ license, template }], seal, at))[0] as Buffer;

  beforeAll(async () => {
    ({ dir, cleanup } = makeTempDir());
    kit = await sealKit(dir);
    seal = kit.sealSigner();
    await seal.open();
    at = new Date();
  });
  afterAll(async () => {
    await seal.close();
    cleanup();
  });

  it('two licenses in a row: files that differ exactly where the licenses differ, each verifying alone', async () => {
    const a = foodLicense(1);
    const b = { ...foodLicense(2), surface: a.surface };
    const fileA = await issue(a);
    const fileB = await issue(b);
    const [zipA, zipB] = [readZip(fileA), readZip(fileB)];
    expect(zipB.names).toEqual(zipA.names);
    for (const name of PER_TEMPLATE) {
      expect(zipB.read(name).equals(zipA.read(name)), name).toBe(true);
      expect(record(fileB, name).equals(record(fileA, name)), name).toBe(true);
    }
    for (const name of PER_LICENSE) expect(zipB.read(name).equals(zipA.read(name)), name).toBe(false);

    // Line by line: a line differs exactly when its box shows a field whose value differs.
    const differing = foodTemplate.texts
      .filter((box) => boxText(box, a) !== boxText(box, b))
      .map((box) => boxText(box, b));
    const [linesA, linesB] = [lines(zipA), lines(zipB)];
    expect(linesB).toHaveLength(linesA.length);
    const changed = linesB.filter((line, i) => line !== linesA[i]);
    expect(changed.length).toBeGreaterThan(0);
    expect(changed.sort()).toEqual(differing.sort());
    expect(linesB.join('')).not.toContain(a.holder.name);
    expect(linesB.join('')).toContain(b.holder.name);
    const ofdB = zipB.read('OFD.xml').toString('utf8');
    expect(ofdB).toContain(b.identifier);
    expect(ofdB).not.toContain(a.identifier);

    for (const file of [fileA, fileB]) expect(verifyOfd(file, kit.trust)).toMatchObject({ ok: true });
  });

  it('a file is the same whichever license was issued before it', async () => {
    const b = foodLicense(2);
    await issue(foodLicense(1));
    const afterOne = await issue(b);
    await issue(foodLicense(3));
    const afterThree = await issue(b);
    // The SES signature is randomised (SM2's k); everything else is the same bytes.
    const [x, y] = [readZip(afterOne), readZip(afterThree)];
    for (const name of x.names.filter((n) => !n.endsWith('SignedValue.dat'))) {
      expect(y.read(name).equals(x.read(name)), name).toBe(true);
    }
  });

  it("another template's page after the first's: its own page area, not the one shared before", async () => {
    await issue(foodLicense(1));
    // The seal box moved onto the narrower page: a stamp past the page is refused (stamp-fit.ts).
    const portrait: FaceTemplate = {
      ...foodTemplate,
      page: { width: 210, height: 297 },
      seal: { ...foodTemplate.seal, x: 150 },
    };
    const file = await issue(foodLicense(1), portrait);
    const document = readZip(file).read('Doc_0/Document.xml').toString('utf8');
    expect(document).toContain('<ofd:PhysicalBox>0 0 210 297</ofd:PhysicalBox>');
    expect(verifyOfd(file, kit.trust)).toMatchObject({ ok: true });
  });
});

describe('SharedParts', () => {
  it('hands out one buffer per text, with its SM3 and ZIP body; other bytes are hashed as they come', () => {
    const parts = new SharedParts();
    const one = parts.bytes('<a>1</a>');
    expect(parts.bytes('<a>1</a>')).toBe(one);
    const other = parts.bytes('<a>2</a>');
    expect(other).not.toBe(one);
    expect(other.toString('utf8')).toBe('<a>2</a>');
    // A copy with the same bytes is not a shared part: hashed afresh, no stored body.
    const copy = Buffer.from(one);
    expect(parts.packed(copy)).toBeUndefined();
    expect(parts.sm3(copy)).toBe(parts.sm3(one));
    expect(parts.packed(one)?.size).toBe(one.length);
  });

  it('starts over when full, and still gives each text its own bytes', () => {
    const parts = new SharedParts();
    const texts = Array.from({ length: 600 }, (_, i) => `<p n="${i}"/>`);
    for (const t of texts) expect(parts.bytes(t).toString('utf8')).toBe(t);
    for (const t of texts.slice(0, 10)) expect(parts.bytes(t).toString('utf8')).toBe(t);
  });
});
