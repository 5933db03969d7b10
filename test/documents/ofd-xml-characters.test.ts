// Every XML part of a sealed license file is well-formed XML 1.0, whatever characters the
// license's text holds. U+FFFE and U+FFFF pass the mapping's input checks (they are neither
// controls nor broken surrogates) but XML 1.0 allows them nowhere: a holder name holding one
// gave a page that strict readers (expat, libxml2, a browser's DOMParser) refuse as not
// well-formed, sealed, recorded and delivered all the same — and `verify --file`, whose parser
// is lenient, passed it.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { layoutFace } from '../../adapters/documents/face/layout.js';
import { issueLicenseFiles } from '../../adapters/documents/ofd/issue-license-file.js';
import { verifyOfd } from '../../adapters/documents/ofd/ofd-verify.js';
import { readZip } from '../../adapters/documents/zip/zip-reader.js';
import { makeTempDir } from '../signers/helpers.js';
import { foodLicense, foodTemplate } from './fixtures.js';
import { type SealKit, sealKit } from './seal-kit.js';

// XML 1.0 §2.2: Char ::= #x9 | #xA | #xD | [#x20-#xD7FF] | [#xE000-#xFFFD] | [#x10000-#x10FFFF]
// biome-ignore lint/suspicious/noControlCharactersInRegex: the production names tab, LF and CR.
const NOT_XML_CHAR = /[^\u0009\u000A\u000D\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/u;

function license() {
  const l = foodLicense(7);
  l.holder.name = '青岛\uFFFF海韵餐饮\uFFFE管理有限公司';
  (l.surface as Record<string, unknown>).businessForm = '餐饮服务\u0001经营者';
  return l;
}

describe('XML characters in a sealed license file', () => {
  let dir: string;
  let cleanup: () => void;
  let kit: SealKit;
  let file: Buffer;

  beforeAll(async () => {
    ({ dir, cleanup } = makeTempDir());
    kit = await sealKit(dir);
    const seal = kit.sealSigner();
    await seal.open();
    try {
      [file] = (await issueLicenseFiles([{ license: license(), template: foodTemplate }], seal)) as [Buffer];
    } finally {
      await seal.close();
    }
  });
  afterAll(() => cleanup());

  it('holds only characters XML 1.0 allows in every XML part, and verifies', () => {
    const zip = readZip(file);
    for (const name of zip.names.filter((n) => n.endsWith('.xml'))) {
      const text = zip.read(name).toString('utf8');
      expect(NOT_XML_CHAR.exec(text)?.[0], name).toBeUndefined();
    }
    expect(verifyOfd(file, kit.trust).ok).toBe(true);
  });

  it('lays out a surrogate half without its partner as nothing, and a pair as its one character', () => {
    const l = foodLicense(7);
    l.holder.name = '青岛\uD800海韵\uDC00餐饮𠮷';
    const layout = layoutFace(foodTemplate, l);
    const name = layout.lines.find((line) => line.text.includes('海韵'));
    expect(name?.text).toBe('经营者名称：青岛海韵餐饮𠮷');
    expect(name?.deltas).toHaveLength([...(name?.text ?? '')].length - 1);
  });

  it('lays out the text without them, one advance per glyph it draws', () => {
    const layout = layoutFace(foodTemplate, license());
    const name = layout.lines.find((l) => l.text.includes('海韵'));
    expect(name?.text).toBe('经营者名称：青岛海韵餐饮管理有限公司');
    for (const line of layout.lines) {
      expect(NOT_XML_CHAR.test(line.text)).toBe(false);
      expect(line.deltas).toHaveLength([...line.text].length - 1);
    }
  });
});
