// Line breaks other than CR and LF reach a face too: U+2028 LINE SEPARATOR and U+2029 PARAGRAPH
// SEPARATOR (text from JSON, Word or a web form), U+0085 NEXT LINE (text converted from legacy
// code pages), vertical tab and form feed (Unicode's mandatory breaks, UAX #14 classes BK and NL).
// None is a glyph: the separators were laid out as a full-em glyph a reader draws as a blank box
// or nothing (or, reading XML 1.1 rules, as a break the layout did not make), and VT and FF were
// dropped, gluing the words on each side together (`Room 5` from `Room\f5`). Each is laid out as
// one space, as CR, LF and tab are.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { layoutFace } from '../../adapters/documents/face/layout.js';
import { issueLicenseFiles } from '../../adapters/documents/ofd/issue-license-file.js';
import { verifyOfd } from '../../adapters/documents/ofd/ofd-verify.js';
import { readZip } from '../../adapters/documents/zip/zip-reader.js';
import { makeTempDir } from '../signers/helpers.js';
import { foodLicense, foodTemplate } from './fixtures.js';
import { type SealKit, sealKit } from './seal-kit.js';

function license() {
  const l = foodLicense(5);
  l.holder.name = '青岛海韵\u2028餐饮\u2029管理\u0085有限\u000bAB\u000cCD';
  return l;
}

const SHOWN = '经营者名称：青岛海韵 餐饮 管理 有限 AB CD';

describe('Unicode line breaks in a face value', () => {
  let dir: string;
  let cleanup: () => void;
  let kit: SealKit;

  beforeAll(async () => {
    ({ dir, cleanup } = makeTempDir());
    kit = await sealKit(dir);
  });
  afterAll(() => cleanup());

  it('are laid out as one space each, a half-em advance', () => {
    const layout = layoutFace(foodTemplate, license());
    const name = layout.lines.find((l) => l.text.includes('海韵'));
    expect(name?.text).toBe(SHOWN);
    const spaces = [...(name?.text ?? '')].flatMap((ch, i) => (ch === ' ' ? [i] : []));
    expect(spaces).toHaveLength(5);
    // The advance after each space (DeltaX of the glyph before the next one) is a space's.
    for (const i of spaces) expect(name?.deltas[i]).toBeCloseTo((name?.size ?? 0) * 0.5, 9);
    for (const line of layout.lines) expect(line.text).not.toMatch(/[\u2028\u2029\u0085\v\f]/);
  });

  it('leave no such character in the page, and the file verifies', async () => {
    const seal = kit.sealSigner();
    await seal.open();
    let file: Buffer;
    try {
      [file] = (await issueLicenseFiles([{ license: license(), template: foodTemplate }], seal)) as [Buffer];
    } finally {
      await seal.close();
    }
    const page = readZip(file).read('Doc_0/Pages/Page_0/Content.xml').toString('utf8');
    const code = /<ofd:TextCode[^>]*>(经营者名称：[^<]*)<\/ofd:TextCode>/.exec(page)?.[1];
    expect(code).toBe(SHOWN);
    expect(verifyOfd(file, kit.trust).ok).toBe(true);
  });
});
