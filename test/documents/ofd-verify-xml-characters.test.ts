// `verify --file` (and `verify --all` over the store) fails a license file with an XML part that
// is not well-formed XML 1.0: U+FFFE or U+FFFF in its page made strict readers refuse the whole
// file, while the verifier, which hashes the page and never parses it, called it valid. Files
// issued before the writer dropped those characters are found this way.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PAGE_PATH } from '../../adapters/documents/ofd/ofd-package.js';
import { verifyOfd } from '../../adapters/documents/ofd/ofd-verify.js';
import { makeTempDir } from '../signers/helpers.js';
import { type SealKit, sealKit } from './seal-kit.js';
import { sealedWithPage } from './sealed-with-page.js';

describe('verifying a license file whose page is not well-formed XML', () => {
  let dir: string;
  let cleanup: () => void;
  let kit: SealKit;

  beforeAll(async () => {
    ({ dir, cleanup } = makeTempDir());
    kit = await sealKit(dir);
  });
  afterAll(() => cleanup());

  /** A sealed file whose page text had `replace` applied before it was signed. */
  const sealedWithText = (replace: (page: string) => string): Promise<Buffer> =>
    sealedWithPage(kit, 3, (page) => Buffer.from(replace(page.toString('utf8')), 'utf8'));

  it('passes the file as written', async () => {
    expect(verifyOfd(await sealedWithText((p) => p), kit.trust).ok).toBe(true);
  });

  it.each([
    ['U+FFFF', '\uFFFF'],
    ['U+FFFE', '\uFFFE'],
    ['a control character', '\u0002'],
  ])('fails a page holding %s, naming the part', async (_, ch) => {
    const file = await sealedWithText((p) => p.replace('海韵', `海${ch}韵`));
    const result = verifyOfd(file, kit.trust);
    expect(result.ok).toBe(false);
    expect(result.problems.join('\n')).toMatch(
      new RegExp(
        `${PAGE_PATH} is not well-formed XML 1\\.0: character U\\+${ch.codePointAt(0)?.toString(16).toUpperCase().padStart(4, '0')}`,
      ),
    );
  });
});
