// The face template's checks past the schema (catalog/face-template.ts), on a small page worked
// by hand: a box may end exactly on the page's edge but not a hundredth of a millimetre beyond,
// a text box's height follows its lines (size × ((lines − 1) × lineHeight + 1.2)), and each
// problem names the YAML line of the box it is about.
import { describe, expect, it } from 'vitest';
import type { FaceTemplate } from '../../catalog/face-template.js';
import { sampleFace, sampleFaceProblems } from './sample-face.js';

/** The YAML text a template came from, one box per line, so each problem's line says which box. */
const TEXT = `face:
  page: { width: 100, height: 80 }
  texts:
    - { x: 10, y: 10, width: 50, size: 5, text: 许可证 }
    - { x: 10, y: 20, width: 50, size: 5, field: holder.name }
  seal: { x: 60, y: 40, width: 20, height: 20 }
  qr: { x: 10, y: 50, size: 20 }
`;
const LINE = { text0: 4, text1: 5, seal: 6, qr: 7 };
const SURFACE = { properties: { premises: {}, businessItems: {} } };

const template = sampleFace();
const problems = sampleFaceProblems(TEXT, SURFACE);

describe('face template checks', () => {
  it('accepts a template whose boxes lie on the page', () => {
    expect(problems(template())).toEqual([]);
  });

  it('lets a seal end exactly on the right and bottom edges, not 0.01 mm beyond', () => {
    // 80 + 20 = 100 = the page's width; 60 + 20 = 80 = its height.
    expect(problems(template((f) => Object.assign(f.seal, { x: 80, y: 60 })))).toEqual([]);
    const past = 'the seal reaches past the 100 × 80 mm page';
    expect(problems(template((f) => Object.assign(f.seal, { x: 80.01 })))).toEqual([
      `${LINE.seal} face.seal: ${past}`,
    ]);
    expect(problems(template((f) => Object.assign(f.seal, { y: 60.01 })))).toEqual([
      `${LINE.seal} face.seal: ${past}`,
    ]);
    // Width and height count, not only the corner: a box starting on the page may end off it.
    expect(problems(template((f) => Object.assign(f.seal, { x: 50, width: 50.5 })))).toEqual([
      `${LINE.seal} face.seal: ${past}`,
    ]);
    expect(problems(template((f) => Object.assign(f.seal, { y: 30, height: 50.5 })))).toEqual([
      `${LINE.seal} face.seal: ${past}`,
    ]);
  });

  it('checks the QR code square on both axes', () => {
    // The seal moved to the top right, out of the code's quiet zone (qr-quiet-zone.ts).
    const at = (place: { x?: number; y?: number }) =>
      template((f) => {
        Object.assign(f.qr, place);
        Object.assign(f.seal, { x: 70, y: 5 });
      });
    expect(problems(at({ x: 80, y: 60 }))).toEqual([]);
    const past = `${LINE.qr} face.qr: the QR code reaches past the 100 × 80 mm page`;
    expect(problems(at({ x: 80.5 }))).toEqual([past]);
    expect(problems(at({ y: 60.5 }))).toEqual([past]);
  });

  it("measures a text box's height from its lines, line height and size", () => {
    // The code moved to the top right, its quiet zone clear of the box down the left (qr-quiet-zone.ts).
    const clearOfCode = (change: (f: FaceTemplate) => void) =>
      template((f) => {
        change(f);
        Object.assign(f.qr, { x: 70, y: 5 });
      });
    // One line of 5 mm: 5 × 1.2 = 6 mm tall; at y = 74 it ends on the bottom edge.
    expect(problems(clearOfCode((f) => Object.assign(f.texts[1] as object, { y: 74 })))).toEqual([]);
    expect(problems(clearOfCode((f) => Object.assign(f.texts[1] as object, { y: 74.1 })))).toEqual([
      `${LINE.text1} face.texts.1: the text box (1 line(s) of 5 mm) reaches past the 100 × 80 mm page`,
    ]);
    // Three lines at the default line height 1.5: 5 × (2 × 1.5 + 1.2) = 21 mm; y = 59 fits, 59.1 not.
    expect(problems(clearOfCode((f) => Object.assign(f.texts[1] as object, { y: 59, maxLines: 3 })))).toEqual(
      [],
    );
    expect(
      problems(clearOfCode((f) => Object.assign(f.texts[1] as object, { y: 59.1, maxLines: 3 }))),
    ).toEqual([
      `${LINE.text1} face.texts.1: the text box (3 line(s) of 5 mm) reaches past the 100 × 80 mm page`,
    ]);
    // Line height 2: 5 × (2 × 2 + 1.2) = 26 mm; y = 54 fits, 54.1 not.
    const tall = { maxLines: 3, lineHeight: 2 };
    expect(problems(clearOfCode((f) => Object.assign(f.texts[1] as object, { ...tall, y: 54 })))).toEqual([]);
    expect(problems(clearOfCode((f) => Object.assign(f.texts[1] as object, { ...tall, y: 54.1 })))).toEqual([
      `${LINE.text1} face.texts.1: the text box (3 line(s) of 5 mm) reaches past the 100 × 80 mm page`,
    ]);
    // The width counts too: 10 + 90 = 100 fits, 90.1 wide does not.
    expect(problems(template((f) => Object.assign(f.texts[0] as object, { width: 90 })))).toEqual([]);
    expect(problems(template((f) => Object.assign(f.texts[0] as object, { width: 90.1 })))).toEqual([
      `${LINE.text0} face.texts.0: the text box (1 line(s) of 5 mm) reaches past the 100 × 80 mm page`,
    ]);
  });

  it('asks for exactly one of text and field', () => {
    const both = template((f) => Object.assign(f.texts[0] as object, { field: 'number' }));
    expect(problems(both)).toEqual([
      `${LINE.text0} face.texts.0: give exactly one of \`text\` and \`field\``,
    ]);
    const neither = template((f) => {
      delete (f.texts[1] as { field?: string }).field;
    });
    expect(problems(neither)).toEqual([
      `${LINE.text1} face.texts.1: give exactly one of \`text\` and \`field\``,
    ]);
  });

  it('knows the license fields and the entry’s surface fields, and lists them when one is unknown', () => {
    for (const field of ['identifier', 'validTo', 'holder.id', 'surface.premises', 'surface.businessItems']) {
      expect(problems(template((f) => Object.assign(f.texts[1] as object, { field })))).toEqual([]);
    }
    const listed =
      'identifier, number, type.name, type.code, issuer.name, issuer.code, issueDate, validFrom, validTo, areaCode, holder.name, holder.id, surface.premises, surface.businessItems';
    expect(
      problems(template((f) => Object.assign(f.texts[1] as object, { field: 'surface.premise' }))),
    ).toEqual([
      `${LINE.text1} face.texts.1.field: \`surface.premise\` is not a field of this license type (fields: ${listed})`,
    ]);
    // A license field under `surface.` is not a surface field, nor a surface field without it.
    expect(
      problems(template((f) => Object.assign(f.texts[1] as object, { field: 'surface.number' }))),
    ).toHaveLength(1);
    expect(
      problems(template((f) => Object.assign(f.texts[1] as object, { field: 'premises' }))),
    ).toHaveLength(1);
  });

  it('reports every problem of a template, in order', () => {
    const f = template((t) => {
      Object.assign(t.texts[0] as object, { field: 'number' });
      Object.assign(t.seal, { x: 90 });
      Object.assign(t.qr, { y: 70 });
    });
    expect(problems(f).map((p) => p.split(':')[0])).toEqual([
      `${LINE.text0} face.texts.0`,
      `${LINE.seal} face.seal`,
      `${LINE.qr} face.qr`,
    ]);
  });
});
