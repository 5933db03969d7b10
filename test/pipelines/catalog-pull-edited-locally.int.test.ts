/**
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

const SECRET = 'catalog-pull-edited-locally';
const FOOD = '11370200MB12345674001';
const SMALL = '11370200MB12345674002';
const surface = (fields: string[]) => ({
  type: 'object',
  required: fields,
  properties: Object.fromEntries(fields.map((f) => [f, { type: 'string' }])),
});

let dir: string;
let sim: ProvinceSimulator;
const published: Record<string, unknown>[] = [
  { code: FOOD, name: '食品经营许可证', surface: surface(['premises']) },
  { code: SMALL, name: '小餐饮登记证', surface: surface(['premises']) },
];

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'catalog-pull-edited-'));
  sim = await startProvinceSimulator({
    auth: { appKey: 'test-app', secret: SECRET },
    catalogTypes: published,
  });
});
afterAll(async () => {
  await sim.close();
  await rm(dir, { recursive: true, force: true });
});

const config = () =>
  ({
    file: join(dir, 'licbridge.yaml'),
    catalog: join(dir, 'catalog'),
    targets: {
      province: {
        kind: 'rest-json',
        url: sim.url,
        timeoutMs: 5000,
        auth: { scheme: 'hmac', appKey: 'test-app', secret: SECRET },
      },
    },
  }) as unknown as Config;

const fileOf = (code: string) => join(dir, 'catalog', 'pulled', 'province', `${code}.yaml`);
const edit = async (code: string) => {
  const text = await readFile(fileOf(code), 'utf8');
  await writeFile(fileOf(code), `${text.replace('premises', 'shop')}# checked with the unit\n`);
};

describe('catalog pull over a file edited in the pull folder', () => {
  it('the platform unchanged: not changed, named edited, the definition written again', async () => {
    await pullCatalog(config(), 'province', undefined);
    await edit(FOOD);
    const r = await pullCatalog(config(), 'province', undefined);
    expect(r.changed).toEqual([]);
    expect(r.edited).toEqual([fileOf(FOOD)]);
    expect(await readFile(fileOf(FOOD), 'utf8')).not.toContain('shop');
  });

  it('edited and changed by the platform: named in both', async () => {
    await edit(SMALL);
    published[1] = { code: SMALL, name: '小餐饮登记证', surface: surface(['premises', 'seats']) };
    const r = await pullCatalog(config(), 'province', undefined);
    expect(r.changed).toEqual([fileOf(SMALL)]);
    expect(r.edited).toEqual([fileOf(SMALL)]);
    const again = await pullCatalog(config(), 'province', undefined);
    expect([again.changed, again.edited]).toEqual([[], []]);
  });
});
