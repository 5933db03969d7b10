// A face box bound to a surface field the schema declares an object (an address with its parts)
// or a list of objects printed `[object Object]` on the sealed license: layout prints a value
// with String. The catalog refuses such a binding when it loads, at the box's line, naming the
// field and the sub-fields to bind instead; a sub-field path (`surface.address.city`) loads and
// prints the sub-field's value.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { layoutFace } from '../../adapters/documents/face/layout.js';
import { buildCatalog, type CatalogEntry } from '../../catalog/catalog.js';
import { ConfigError } from '../../core/errors.js';
import { foodLicense } from '../documents/fixtures.js';
import { ROOT } from '../support/cli.js';

const FOOD = join(ROOT, 'examples/west-coast/catalog/food-business-license.yaml');

/** The demo entry with an object field, a list of objects, and the premises box bound to `field`. */
async function entryText(field: string): Promise<string> {
  const text = (await readFile(FOOD, 'utf8'))
    .replace(
      '    businessItems:\n',
      `    address:
      type: object
      properties:
        city: { type: string }
        street: { type: string }
        geo: { type: object, properties: { lat: { type: number } } }
    shareholders:
      type: array
      items: { type: object, properties: { name: { type: string } } }
    businessItems:
`,
    )
    .replace('{ field: surface.premises,', `{ field: ${field},`);
  expect(text).toContain(`field: ${field},`);
  return text;
}

async function load(field: string): Promise<{ problems: string[]; entry?: CatalogEntry; line: number }> {
  const text = await entryText(field);
  const line = text.split('\n').findIndex((l) => l.includes(`field: ${field},`)) + 1;
  try {
    return { problems: [], entry: buildCatalog([{ file: FOOD, text }]).entries()[0], line };
  } catch (e) {
    if (!(e instanceof ConfigError)) throw e;
    return { problems: e.problems.map((p) => `${p.file}:${p.line}: ${p.path}: ${p.message}`), line };
  }
}

describe('a face box bound to an object field', () => {
  it('is refused at load, at the box, naming the sub-fields to bind', async () => {
    const { problems, line } = await load('surface.address');
    expect(problems).toEqual([
      `${FOOD}:${line}: face.texts.4.field: \`surface.address\` is an object, which a text box cannot print (it would show [object Object] on the sealed license); bind one of its fields instead: surface.address.city, surface.address.street, surface.address.geo.lat`,
    ]);
    // Nested: an object inside the object.
    expect((await load('surface.address.geo')).problems[0]).toContain(
      '`surface.address.geo` is an object, which a text box cannot print (it would show [object Object] on the sealed license); bind one of its fields instead: surface.address.geo.lat',
    );
  });

  it('is refused for a list of objects', async () => {
    const { problems, line } = await load('surface.shareholders');
    expect(problems).toEqual([
      `${FOOD}:${line}: face.texts.4.field: \`surface.shareholders\` is a list of objects, which a text box cannot print (each item would show [object Object] on the sealed license); bind a field of text, a number or a list of them (a list of strings made in the mapping, for instance)`,
    ]);
  });

  it('names the fields of the object when a sub-field does not exist', async () => {
    expect((await load('surface.address.town')).problems[0]).toContain(
      '`surface.address.town` is not a field of this license type: `surface.address` has no field `town` (its fields: surface.address.city, surface.address.street, surface.address.geo)',
    );
  });

  it('loads a sub-field path and prints the sub-field', async () => {
    const { problems, entry } = await load('surface.address.city');
    expect(problems).toEqual([]);
    const license = foodLicense(1);
    license.surface = { ...license.surface, address: { city: '青岛市', street: '长江中路1号' } };
    const texts = layoutFace(entry?.face as NonNullable<CatalogEntry['face']>, license).lines.map(
      (l) => l.text,
    );
    expect(texts).toContain('经营场所：青岛市');
    expect(texts.join('')).not.toContain('[object Object]');
  });

  it('still loads text, number and list-of-text fields', async () => {
    for (const field of ['surface.premises', 'surface.businessItems', 'holder.name']) {
      expect((await load(field)).problems).toEqual([]);
    }
  });
});

describe('a face box bound to a field made an object by allOf', () => {
  /** The demo entry with `address` an object only through `allOf`, the premises box bound to `field`. */
  async function loadAllOf(field: string): Promise<string[]> {
    const text = (await readFile(FOOD, 'utf8'))
      .replace(
        '    businessItems:\n',
        `    address:
      description: 地址
      allOf:
        - type: object
          properties:
            city: { type: string }
            street: { type: string }
    businessItems:
`,
      )
      .replace('{ field: surface.premises,', `{ field: ${field},`);
    expect(text).toContain('allOf');
    try {
      buildCatalog([{ file: FOOD, text }]);
      return [];
    } catch (e) {
      if (!(e instanceof ConfigError)) throw e;
      return e.problems.map((p) => `${p.path}: ${p.message}`);
    }
  }

  it('is refused as an object, naming its sub-fields', async () => {
    expect(await loadAllOf('surface.address')).toEqual([
      'face.texts.4.field: `surface.address` is an object, which a text box cannot print (it would show [object Object] on the sealed license); bind one of its fields instead: surface.address.city, surface.address.street',
    ]);
  });

  it('binds its sub-fields', async () => {
    expect(await loadAllOf('surface.address.city')).toEqual([]);
  });
});

describe('a face box bound to a list of objects declared through allOf, anyOf or oneOf', () => {
  /** The demo entry with `shareholders` a list of objects only inside `keyword`, the premises box bound to it. */
  async function loadComposedList(keyword: string, alternatives: string): Promise<string[]> {
    const text = (await readFile(FOOD, 'utf8'))
      .replace(
        '    businessItems:\n',
        `    shareholders:
      description: 股东
      ${keyword}:
${alternatives}
    businessItems:
`,
      )
      .replace('{ field: surface.premises,', '{ field: surface.shareholders,');
    expect(text).toContain(keyword);
    try {
      buildCatalog([{ file: FOOD, text }]);
      return [];
    } catch (e) {
      if (!(e instanceof ConfigError)) throw e;
      return e.problems.map((p) => `${p.path}: ${p.message}`);
    }
  }
  const list = '{ type: array, items: { type: object, properties: { name: { type: string } } } }';

  it('is refused as a list of objects, as one declared type: array is', async () => {
    const refused = [
      'face.texts.4.field: `surface.shareholders` is a list of objects, which a text box cannot print (each item would show [object Object] on the sealed license); bind a field of text, a number or a list of them (a list of strings made in the mapping, for instance)',
    ];
    // A list that may be missing (null), the usual way to write one.
    expect(await loadComposedList('anyOf', `        - { type: "null" }\n        - ${list}`)).toEqual(refused);
    expect(await loadComposedList('oneOf', `        - { type: "null" }\n        - ${list}`)).toEqual(refused);
    expect(await loadComposedList('allOf', `        - ${list}`)).toEqual(refused);
  });

  it('still loads a list of text so declared', async () => {
    expect(
      await loadComposedList(
        'anyOf',
        '        - { type: "null" }\n        - { type: array, items: { type: string } }',
      ),
    ).toEqual([]);
  });
});
