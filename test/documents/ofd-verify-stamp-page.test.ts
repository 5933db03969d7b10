// A seal signature's stamp (GB/T 33190 §18, StampAnnot) is drawn on the page its PageRef names. A
// file whose stamp names no page of the document is shown by readers with no seal on it at all —
// a license that looks unsealed — while every hash and signature in it holds, and `verify --file`
// passed it. The stamp must name a page the document lists.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { layoutFace } from '../../adapters/documents/face/layout.js';
import { docInfoFor } from '../../adapters/documents/ofd/issue-license-file.js';
import { buildOfd } from '../../adapters/documents/ofd/ofd-package.js';
import { prepareSignature } from '../../adapters/documents/ofd/ofd-signature.js';
import { verifyOfd } from '../../adapters/documents/ofd/ofd-verify.js';
import { makeTempDir } from '../signers/helpers.js';
import { foodLicense, foodTemplate } from './fixtures.js';
import { type SealKit, sealKit } from './seal-kit.js';
import { sealPrepared } from './sealed-with-page.js';

describe("a seal's stamp", () => {
  let dir: string;
  let cleanup: () => void;
  let kit: SealKit;

  beforeAll(async () => {
    ({ dir, cleanup } = makeTempDir());
    kit = await sealKit(dir);
  });
  afterAll(() => cleanup());

  async function sealedWithStampOn(pageRef: (pageId: number) => number): Promise<Buffer> {
    const license = foodLicense(7);
    const signedAt = new Date();
    const info = docInfoFor(license, signedAt);
    const doc = buildOfd(layoutFace(foodTemplate, license), info);
    const stamped = { ...doc, pageId: pageRef(doc.pageId) };
    return sealPrepared(kit, signedAt, () => prepareSignature(stamped, info, foodTemplate.seal, signedAt));
  }

  it('on a page of the document verifies', async () => {
    const result = verifyOfd(await sealedWithStampOn((id) => id), kit.trust);
    expect(result.problems).toEqual([]);
    expect(result.ok).toBe(true);
  });

  it('on no page of the document fails, naming the page it names', async () => {
    const result = verifyOfd(await sealedWithStampOn((id) => id + 100), kit.trust);
    expect(result.ok).toBe(false);
    const problems = result.signatures.flatMap((s) => s.problems);
    expect(problems.some((p) => /StampAnnot .*PageRef \d+.*no page/.test(p))).toBe(true);
  });
});
