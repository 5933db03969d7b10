// A box prints what the license itself holds under its field, never what every object inherits.
// A surface schema may declare an optional face field named as a method of every object
// (`toString`, `valueOf`); a license whose mapping left it unwritten printed the method's source
// text (`function toString() { [native code] }`) on its sealed face instead of nothing.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { boxText } from '../../adapters/documents/face/layout.js';
import { buildCatalog } from '../../catalog/catalog.js';
import type { License } from '../../catalog/license.js';
import { ROOT } from '../support/cli.js';

const FOOD = join(ROOT, 'examples/west-coast/catalog/food-business-license.yaml');

describe('a box bound to a face field named as an object method', () => {
  it.each(['toString', 'valueOf', 'hasOwnProperty'])(
    'prints `%s` as the license holds it, and nothing when the license lacks it',
    async (name) => {
      const text = (await readFile(FOOD, 'utf8'))
        .replace('    premises:\n', `    ${name}:\n`)
        .replace('required: [legalRepresentative, premises,', 'required: [legalRepresentative,')
        .replace('field: surface.premises,', `field: surface.${name},`);
      const [entry] = buildCatalog([{ file: FOOD, text }]).entries();
      const box = entry?.face?.texts.find((t) => t.field === `surface.${name}`);
      if (!box) throw new Error(`no box bound to surface.${name}`);
      const held = { surface: { [name]: '青岛市黄岛区长江中路1号' } } as unknown as License;
      expect(boxText(box, held)).toBe('经营场所：青岛市黄岛区长江中路1号');
      const lacking = {
        holder: { name: '某某' },
        surface: { legalRepresentative: '张三' },
      } as unknown as License;
      expect(boxText(box, lacking)).toBe('经营场所：');
    },
  );
});
