// `verify --file` (and `verify --all` over the store) fails a license file with an XML part that
// is not well-formed XML 1.0: U+FFFE or U+FFFF in its page made strict readers refuse the whole
// file, while the verifier, which hashes the page and never parses it, called it valid. Files
// issued before the writer dropped those characters are found this way.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { layoutFace } from '../../adapters/documents/face/layout.js';
import { docInfoFor } from '../../adapters/documents/ofd/issue-license-file.js';
import { buildOfd, PAGE_PATH } from '../../adapters/documents/ofd/ofd-package.js';
import { finishSignature, prepareSignature } from '../../adapters/documents/ofd/ofd-signature.js';
import { verifyOfd } from '../../adapters/documents/ofd/ofd-verify.js';
import { makeTempDir } from '../signers/helpers.js';
import { foodLicense, foodTemplate } from './fixtures.js';
import { type SealKit, sealKit } from './seal-kit.js';

describe('verifying a license file whose page is not well-formed XML', () => {
  let dir: string;
  let cleanup: () => void;
  let kit: SealKit;

  beforeAll(async () => {
    ({ dir, cleanup } = makeTempDir());
    kit = await sealKit(dir);
  });
  afterAll(() => cleanup());

  /** A sealed file whose page had `replace` applied before it was signed: every hash and signature holds. */
  async function sealedWithPage(replace: (page: string) => string): Promise<Buffer> {
    const license = foodLicense(3);
    const signedAt = new Date();
    const info = docInfoFor(license, signedAt);
    const doc = buildOfd(layoutFace(foodTemplate, license), info);
    const page = Buffer.from(doc.parts.get(PAGE_PATH) as Uint8Array).toString('utf8');
    doc.parts.set(PAGE_PATH, Buffer.from(replace(page), 'utf8'));
    const prepared = prepareSignature(doc, info, foodTemplate.seal, signedAt);
    const seal = kit.sealSigner();
    await seal.open();
    try {
      const [ses] = await seal.sign(
        [{ dataHash: prepared.dataHash, propertyInfo: prepared.propertyInfo }],
        signedAt,
      );
      return finishSignature(prepared, ses as Uint8Array);
    } finally {
      await seal.close();
    }
  }

  it('passes the file as written', async () => {
    expect(verifyOfd(await sealedWithPage((p) => p), kit.trust).ok).toBe(true);
  });

  it.each([
    ['U+FFFF', '\uFFFF'],
    ['U+FFFE', '\uFFFE'],
    ['a control character', '\u0002'],
  ])('fails a page holding %s, naming the part', async (_, ch) => {
    const file = await sealedWithPage((p) => p.replace('海韵', `海${ch}韵`));
    const result = verifyOfd(file, kit.trust);
    expect(result.ok).toBe(false);
    expect(result.problems.join('\n')).toMatch(
      new RegExp(
        `${PAGE_PATH} is not well-formed XML 1\\.0: character U\\+${ch.codePointAt(0)?.toString(16).toUpperCase().padStart(4, '0')}`,
      ),
    );
  });
});
