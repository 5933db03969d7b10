// A face field the surface schema declares true or false (网络经营: yes or no) printed `true` or
// `false` on the sealed license, as a box prints its value with `String`: no word a Chinese
// license holds. Such a binding is refused when the catalog loads, at the box's field, as an
// object is; a field of text, a number or a list of them still loads.
import { describe, expect, it } from 'vitest';
import { foodEntry, lineOf, problemsOf } from './face-catalog-fixture.js';

/** The demo type with a surface field `online` of `schema`, printed by the business form's box. */
async function withOnline(schema: string): Promise<string> {
  return (await foodEntry())
    .replace('  properties:\n', `  properties:\n    online: ${schema}\n`)
    .replace('field: surface.businessForm', 'field: surface.online');
}

const REFUSED = (field: string) =>
  `\`${field}\` is true or false, which a text box cannot print (it would show true or false on the sealed license); make it text in the mapping, the words the license prints (是 or 否, 网络经营 or nothing), and declare it a string`;

/** What the catalog says of `text`, the demo with `online` a field of true or false: refused at its box. */
const refusedAtField = (text: string) => [
  `${lineOf(text, 'field: surface.online')}: face.texts.5.field: ${REFUSED('surface.online')}`,
];

/** `online` true or false that may be null too, or a list of them. */
const BOOLEAN_TOO = [
  '{ type: [boolean, "null"] }',
  '{ anyOf: [{ type: "null" }, { type: boolean }] }',
  '{ type: array, items: { type: boolean } }',
];

/** `online` text, a number or a list of them. */
const PRINTABLE = [
  '{ type: string }',
  '{ type: [number, "null"] }',
  '{ type: array, items: { type: string } }',
  '{ description: 网络经营 }',
];

describe('a face box bound to a field of true or false', () => {
  it('is refused when the catalog loads, at the field', async () => {
    const text = await withOnline('{ type: boolean, description: 网络经营 }');
    expect(problemsOf(text)).toEqual(refusedAtField(text));
  });

  it('is refused when it may be null too, or a list of them', async () => {
    for (const schema of BOOLEAN_TOO) {
      const text = await withOnline(schema);
      expect(problemsOf(text), schema).toEqual(refusedAtField(text));
    }
  });

  it('loads a field of text, a number or a list of them', async () => {
    for (const schema of PRINTABLE) expect(problemsOf(await withOnline(schema)), schema).toEqual([]);
  });
});
