// The stamp of a sealed file is the seal's picture at the size the seal states (GB/T 38540
// picture width and height, mm: `seal make --size`), centred on the template's seal box: readers
// draw the picture into the StampAnnot's box, so a box of the template's size showed a 40 × 30 mm
// oval seal 42 × 42 mm, stretched round.
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { issueLicenseFiles } from '../../adapters/documents/ofd/issue-license-file.js';
import { SIGNATURE_XML, stampBox } from '../../adapters/documents/ofd/ofd-signature.js';
import { verifyOfd } from '../../adapters/documents/ofd/ofd-verify.js';
import { readZip } from '../../adapters/documents/zip/zip-reader.js';
import type { SealSigner } from '../../adapters/signers/ses/seal-signer.js';
import { makeTempDir } from '../signers/helpers.js';
import { foodLicense, foodTemplate } from './fixtures.js';
import { type SealKit, sealKit } from './seal-kit.js';

/** The StampAnnot's Boundary of a sealed file's Signature.xml. */
function boundary(file: Buffer): string | undefined {
  const xml = readZip(file).read(SIGNATURE_XML).toString('utf8');
  return /<ofd:StampAnnot [^>]*Boundary="([^"]*)"/.exec(xml)?.[1];
}

describe('the stamp of a sealed license file', () => {
  let dir: string;
  let cleanup: () => void;
  let kit: SealKit;

  /** A seal of the kit's holder, made by its maker, registered at `widthMm` × `heightMm`. */
  async function sealOfSize(widthMm: number, heightMm: number): Promise<SealSigner> {
    const file = join(dir, `seal-${widthMm}x${heightMm}.esl`);
    return kit.sealSigner(await kit.sizedSeal(file, widthMm, heightMm, `3702110000${widthMm}${heightMm}`));
  }

  async function issued(seal: SealSigner): Promise<Buffer> {
    await seal.open();
    try {
      const [file] = await issueLicenseFiles([{ license: foodLicense(), template: foodTemplate }], seal);
      return file as Buffer;
    } finally {
      await seal.close();
    }
  }

  beforeAll(async () => {
    ({ dir, cleanup } = makeTempDir());
    kit = await sealKit(dir);
  });
  afterAll(() => cleanup());

  it("is the seal's registered size, centred on the template's box, and the file verifies", async () => {
    // The demo template puts the seal at 200, 140, 42 × 42 mm: its centre is 221, 161.
    expect(foodTemplate.seal).toEqual({ x: 200, y: 140, width: 42, height: 42 });
    const file = await issued(await sealOfSize(40, 30));
    expect(boundary(file)).toBe('201 146 40 30');
    expect(verifyOfd(file, kit.trust).ok).toBe(true);
  });

  it("fills the template's box when the seal is registered at that size", async () => {
    expect(boundary(await issued(kit.sealSigner()))).toBe('200 140 42 42');
  });

  it("fills the template's box for a seal that states no size", () => {
    const box = { x: 10, y: 20, width: 42, height: 42 };
    expect(stampBox(box, { widthMm: 0, heightMm: 0 })).toEqual(box);
    expect(stampBox(box, { widthMm: 38, heightMm: 46 })).toEqual({
      x: 12,
      y: 18,
      width: 38,
      height: 46,
    });
  });
});
