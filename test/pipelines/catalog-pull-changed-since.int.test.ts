/**
 * A platform that changes a license type's fields between two pulls: the second pull rewrote the
 * type's file and printed `wrote …` for it as for every unchanged type, so a reviewer who had
 * moved the first pull's files into the catalog could not tell which types to review again, and
 * the live entry kept the fields the platform no longer takes. The pull now names each file whose
 * definition differs from the earlier pull's (`changed`), apart from the ones written as before.
 *
 * A pulled file a reviewer edited in the pull folder (a field renamed, a note added), pulled again
 * while the platform's type stayed as it was: the pull compared the file's text with the new
 * definition and named it `changed` (`changed by <target> since the earlier pull`), sending the
 * reviewer to look for a platform change there was none of, and said nothing of the edits it
 * replaced. Each pulled file's header now records the definition's digest: `changed` compares the
 * platform's definitions only, and a file whose text differs from its recorded definition is named
 * in `edited` (its edits replaced by the platform's definition).
 */
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type ProvinceSimulator,
  startProvinceSimulator,
} from '../../adapters/simulators/province/province-simulator.js';
import type { Config } from '../../config/types.js';
import { pullCatalog } from '../../pipelines/catalog-pull.js';

const FOOD = '11370200MB12345674001';
const SMALL = '11370200MB12345674002';
const surface = (fields: string[]) => ({
  type: 'object',
  required: fields,
  properties: Object.fromEntries(fields.map((f) => [f, { type: 'string' }])),
});

/**
 * A platform of its own for the enclosing describe, publishing two types (`published`, which its
 * tests change), pulled into a folder of its own.
 */
function platform(name: string) {
  const published: Record<string, unknown>[] = [
    { code: FOOD, name: '食品经营许可证', surface: surface(['premises']) },
    { code: SMALL, name: '小餐饮登记证', surface: surface(['premises']) },
  ];
  let dir = '';
  let sim: ProvinceSimulator | undefined;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), `${name}-`));
    sim = await startProvinceSimulator({
      auth: { appKey: 'test-app', secret: name },
      catalogTypes: published,
    });
  });
  afterAll(async () => {
    await sim?.close();
    await rm(dir, { recursive: true, force: true });
  });
  const config = () =>
    ({
      file: join(dir, 'licbridge.yaml'),
      catalog: join(dir, 'catalog'),
      targets: {
        province: {
          kind: 'rest-json',
          url: sim?.url,
          timeoutMs: 5000,
          auth: { scheme: 'hmac', appKey: 'test-app', secret: name },
        },
      },
    }) as unknown as Config;
  return {
    published,
    pull: () => pullCatalog(config(), 'province', undefined),
    fileOf: (code: string) => join(dir, 'catalog', 'pulled', 'province', `${code}.yaml`),
  };
}

describe('catalog pull after the platform changed a type', () => {
  const { published, pull, fileOf } = platform('catalog-pull-changed');

  it('names nothing changed on the first pull, nor on a pull of the same catalog', async () => {
    const first = await pull();
    expect(first.written).toEqual([fileOf(FOOD), fileOf(SMALL)]);
    expect(first.changed).toEqual([]);
    const again = await pull();
    expect(again.changed).toEqual([]);
  });

  it('names the file of the type whose fields changed, and writes the new definition', async () => {
    published[1] = { code: SMALL, name: '小餐饮登记证', surface: surface(['premises', 'seats']) };
    const r = await pull();
    expect(r.written).toHaveLength(2);
    expect(r.changed).toEqual([fileOf(SMALL)]);
    expect(await readFile(fileOf(SMALL), 'utf8')).toContain('- seats');
    // Pulled once more, unchanged since: nothing to review again.
    expect((await pull()).changed).toEqual([]);
  });
});

describe('catalog pull over a file edited in the pull folder', () => {
  const { published, pull, fileOf } = platform('catalog-pull-edited');
  const edit = async (code: string) => {
    const text = await readFile(fileOf(code), 'utf8');
    await writeFile(fileOf(code), `${text.replace('premises', 'shop')}# checked with the unit\n`);
  };

  it('the platform unchanged: not changed, named edited, the definition written again', async () => {
    await pull();
    await edit(FOOD);
    const r = await pull();
    expect(r.changed).toEqual([]);
    expect(r.edited).toEqual([fileOf(FOOD)]);
    expect(await readFile(fileOf(FOOD), 'utf8')).not.toContain('shop');
  });

  it('edited and changed by the platform: named in both', async () => {
    await edit(SMALL);
    published[1] = { code: SMALL, name: '小餐饮登记证', surface: surface(['premises', 'seats']) };
    const r = await pull();
    expect(r.changed).toEqual([fileOf(SMALL)]);
    expect(r.edited).toEqual([fileOf(SMALL)]);
    const again = await pull();
    expect([again.changed, again.edited]).toEqual([[], []]);
  });
});
