// A face field may have any name a JSON Schema property may (经营-项目, legal_rep), and a mapping
// writes it (mappings/output-path.ts); a face box's `field` took only `[A-Za-z][A-Za-z0-9]*`
// segments, so such a field could not be printed on the license file and the catalog refused to
// load. A box now binds any field the entry has: the catalog checks it exists and prints as text.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { layoutFace } from '../../adapters/documents/face/layout.js';
import { buildCatalog, type CatalogEntry } from '../../catalog/catalog.js';
import { ConfigError } from '../../core/errors.js';
import { foodLicense } from '../documents/fixtures.js';
import { ROOT } from '../support/cli.js';

const FOOD = join(ROOT, 'examples/west-coast/catalog/food-business-license.yaml');

async function load(field: string): Promise<{ problems: string[]; entry?: CatalogEntry }> {
  const text = (await readFile(FOOD, 'utf8'))
    .replace(
      '    businessItems:\n',
      `    经营-项目: { type: string }
    legal_rep: { type: string }
    businessItems:
`,
    )
    .replace('{ field: surface.premises,', `{ field: ${JSON.stringify(field)},`);
  try {
    return { problems: [], entry: buildCatalog([{ file: FOOD, text }]).entries()[0] };
  } catch (e) {
    if (!(e instanceof ConfigError)) throw e;
    return { problems: e.problems.map((p) => `${p.path}: ${p.message}`) };
  }
}

describe('a face box bound to a field named in Chinese, with a hyphen or an underscore', () => {
  it('loads and prints the field', async () => {
    for (const [field, value] of [
      ['surface.经营-项目', '预包装食品销售'],
      ['surface.legal_rep', '张三'],
    ] as const) {
      const { problems, entry } = await load(field);
      expect(problems, field).toEqual([]);
      const license = foodLicense(1);
      license.surface = { ...license.surface, [field.slice('surface.'.length)]: value };
      const texts = layoutFace(entry?.face as NonNullable<CatalogEntry['face']>, license).lines.map(
        (l) => l.text,
      );
      expect(texts, field).toContain(`经营场所：${value}`);
    }
  });

  it('still refuses a field the entry does not have', async () => {
    expect((await load('surface.经营项目')).problems[0]).toContain('is not a field of this license type');
  });

  it('refuses a name every object inherits', async () => {
    // `__proto__` of any object is Object.prototype, which read as a schema: the box would print
    // [object Object] on the sealed license. Refused as a reserved name, before the schema is asked.
    for (const field of ['surface.__proto__', 'surface.businessItems.__proto__']) {
      expect((await load(field)).problems.join('; '), field).toContain(
        `field \`${field}\` has the reserved name \`__proto__\`, which no mapping can write`,
      );
    }
  });
});
