// `verify --file` fails a license file with an XML part whose bytes are not UTF-8 (GB/T 33190:
// OFD's XML parts are UTF-8). A page holding GBK bytes — a producer that wrote a holder's name
// in the legacy system's encoding — is not well-formed XML: strict readers (expat, libxml2, a
// browser's DOMParser) refuse the whole file. The verifier read it as UTF-8 with replacement
// characters, which XML allows, and called the file valid, however it was signed.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PAGE_PATH } from '../../adapters/documents/ofd/ofd-package.js';
import { verifyOfd } from '../../adapters/documents/ofd/ofd-verify.js';
import { makeTempDir } from '../signers/helpers.js';
import { type SealKit, sealKit } from './seal-kit.js';
import { sealedWithPage } from './sealed-with-page.js';

describe('verifying a license file whose page is not UTF-8', () => {
  let dir: string;
  let cleanup: () => void;
  let kit: SealKit;

  beforeAll(async () => {
    ({ dir, cleanup } = makeTempDir());
    kit = await sealKit(dir);
  });
  afterAll(() => cleanup());

  /** The page with `bytes` in place of the first 海韵. */
  const withBytes =
    (bytes: number[]) =>
    (page: Buffer): Buffer => {
      const at = page.indexOf(Buffer.from('海韵', 'utf8'));
      return Buffer.concat([page.subarray(0, at), Buffer.from(bytes), page.subarray(at + 6)]);
    };

  it('passes a page whose text holds U+FFFD written as UTF-8', async () => {
    const file = await sealedWithPage(kit, 4, withBytes([0xef, 0xbf, 0xbd]));
    expect(verifyOfd(file, kit.trust).ok).toBe(true);
  });

  it.each([
    ['GBK bytes (海韵)', [0xba, 0xa3, 0xd4, 0xcf]],
    ['a truncated sequence', [0xe6, 0xb5]],
    ['an encoded surrogate half', [0xed, 0xa0, 0x80]],
  ])('fails a page holding %s, naming the part and the offset', async (_, bytes) => {
    const file = await sealedWithPage(kit, 4, withBytes(bytes));
    const result = verifyOfd(file, kit.trust);
    expect(result.ok).toBe(false);
    expect(result.signatures[0]?.problems).toEqual([]);
    expect(result.problems).toEqual([
      expect.stringMatching(
        new RegExp(
          `^${PAGE_PATH} is not well-formed XML 1\\.0: its bytes are not UTF-8 from byte offset \\d+`,
        ),
      ),
    ]);
  });
});
