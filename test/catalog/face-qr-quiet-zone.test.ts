// ISO/IEC 18004: a QR code needs a quiet zone, 4 modules of blank around it, for a reader to find
// it. Nothing checked a face template's: a text box, the border's line or the seal could sit in
// it (or on the code), and every license file issued carried a code a phone may not read. The
// catalog now refuses such a template at the line of what intrudes. The module is worked out as
// the layout draws the code (its box over 17 + 4 × version modules), for the shortest identifier
// the code may carry (the fewest, largest modules: the widest zone any license's code needs):
// here a bare identifier makes a version 5 code, 37 modules: 20 mm / 37 = 0.54 mm, a 2.16 mm zone
// (x 7.84–32.16, y 47.84–72.16 around the code at 10, 50).
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { qrModules } from '../../adapters/documents/face/qr-code.js';
import { buildCatalog, loadCatalog } from '../../catalog/catalog.js';
import { type FaceTemplate, IDENTIFIER_MIN_LENGTH } from '../../catalog/face-template.js';
import { QR_M_BYTES } from '../../catalog/qr-quiet-zone.js';
import { ConfigError } from '../../core/errors.js';
import { ROOT } from '../support/cli.js';
import { sampleFace, sampleFaceProblems } from './sample-face.js';

const TEXT = `face:
  page: { width: 100, height: 80 }
  border: { inset: 5, width: 1, color: "#B22222" }
  texts:
    - { x: 10, y: 10, width: 50, size: 5, text: 许可证 }
    - { x: 10, y: 20, width: 50, size: 5, field: holder.name }
  seal: { x: 60, y: 40, width: 20, height: 20 }
  qr: { x: 10, y: 50, size: 20 }
`;
const LINE = { border: 3, text1: 6, seal: 7, qr: 8 };
const SURFACE = { properties: {} };
const ZONE = 'x 7.84–32.16, y 47.84–72.16 mm';
const WHY = "(ISO/IEC 18004: 4 modules of 0.54 mm, the 20 mm code over 37, the fewest a license's code has)";

const template = sampleFace({ border: { inset: 5, width: 1, color: '#B22222' } });
const problems = sampleFaceProblems(TEXT, SURFACE);

describe("the QR code's quiet zone in a face template", () => {
  it('accepts a template with the zone clear', () => {
    expect(problems(template())).toEqual([]);
  });

  it('refuses a text box in the zone, at its line, and lets one end just outside it', () => {
    // One line of 5 mm is 6 mm tall: from y 41.8 it ends at 47.8, outside; from 41.9, inside.
    expect(problems(template((f) => Object.assign(f.texts[1] as object, { y: 41.8 })))).toEqual([]);
    expect(problems(template((f) => Object.assign(f.texts[1] as object, { y: 41.9 })))).toEqual([
      `${LINE.text1} face.texts.1: the text box reaches into the QR code's quiet zone, ${ZONE} ${WHY}: a phone may not find the code`,
    ]);
    // On the code itself too.
    expect(problems(template((f) => Object.assign(f.texts[1] as object, { y: 55 })))).toHaveLength(1);
  });

  it('refuses the seal in the zone', () => {
    expect(problems(template((f) => Object.assign(f.seal, { x: 32.2, y: 50 })))).toEqual([]);
    expect(problems(template((f) => Object.assign(f.seal, { x: 32, y: 50 })))).toEqual([
      `${LINE.seal} face.seal: the seal reaches into the QR code's quiet zone, ${ZONE} ${WHY}: a phone may not find the code`,
    ]);
  });

  it("refuses the border's line in the zone, however wide the line", () => {
    // The line is 1 mm wide on the frame 5 mm in: it covers 4.5–5.5 mm from the edge.
    expect(problems(template((f) => Object.assign(f.qr, { x: 7.7 })))).toEqual([]);
    const moved = template((f) => Object.assign(f.qr, { x: 7.3 }));
    expect(problems(moved)).toEqual([
      `${LINE.border} face.border: the border's line runs through the QR code's quiet zone, x 5.14–29.46, y 47.84–72.16 mm ${WHY}: a phone may not find the code`,
    ]);
    const lineOf = (width: number) =>
      template((f) => {
        f.qr.x = 7.7;
        f.border = { inset: 5, width, color: '#B22222' };
      });
    // 0.5 mm covers 4.75–5.25 mm, clear of the zone from 5.54; 1.4 mm covers up to 5.7.
    expect(problems(lineOf(0.5))).toEqual([]);
    expect(problems(lineOf(1.4))).toHaveLength(1);
  });

  it('works the module out from what the code carries: a link makes more, smaller modules', () => {
    // 32 bytes besides the identifier: at least 95, a version 6 code of 41 modules, 0.49 mm each,
    // a 1.95 mm zone: the text box ending at 48 mm clears it (50 − 1.95 = 48.05), not the 2.16 mm one.
    const url = 'https://lic.example.cn/v?id={identifier}&x=1';
    const textAt42 = (f: FaceTemplate) => Object.assign(f.texts[1] as object, { y: 42 });
    expect(problems(template(textAt42))).toHaveLength(1);
    expect(
      problems(
        template((f) => {
          textAt42(f);
          f.qr.url = url;
        }),
      ),
    ).toEqual([]);
  });

  it("agrees with the encoder on each version's capacity at level M", () => {
    QR_M_BYTES.forEach((bytes, i) => {
      expect(qrModules('A'.repeat(bytes)).n).toBe(17 + 4 * (i + 1));
      if (i + 1 < QR_M_BYTES.length) expect(qrModules('A'.repeat(bytes + 1)).n).toBe(17 + 4 * (i + 2));
    });
    // The shortest identifier (a one-character serial) is as long as the constant says.
    expect('1.2.156.3005.2.11370200MB12345674001.11370211MB2854271T.A.001.K'.length).toBe(
      IDENTIFIER_MIN_LENGTH,
    );
  });

  it("passes the demo's templates, and names the line of a demo code moved onto the seal", async () => {
    await expect(loadCatalog(join(ROOT, 'examples/west-coast/catalog'))).resolves.toBeDefined();
    await expect(
      loadCatalog(join(ROOT, 'examples/west-coast/road-transport/catalog')),
    ).resolves.toBeDefined();
    const file = join(ROOT, 'examples/west-coast/catalog/food-business-license.yaml');
    const text = (await readFile(file, 'utf8')).replace(
      'qr: { x: 30, y: 150, size: 30 }',
      'qr: { x: 205, y: 108, size: 30 }',
    );
    let messages: string[] = [];
    try {
      buildCatalog([{ file, text }]);
    } catch (e) {
      if (!(e instanceof ConfigError)) throw e;
      messages = e.problems.map((p) => `${p.line}: ${p.path}: ${p.message}`);
    }
    const sealLine = text.split('\n').findIndex((l) => l.includes('seal: { x: 200')) + 1;
    expect(messages).toEqual([
      expect.stringMatching(
        new RegExp(`^${sealLine}: face\\.seal: the seal reaches into the QR code's quiet zone`),
      ),
    ]);
  });
});
