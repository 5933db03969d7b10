/**
 * A platform that changes a license type's fields between two pulls: the second pull rewrote the
 * type's file and printed `wrote …` for it as for every unchanged type, so a reviewer who had
 * moved the first pull's files into the catalog could not tell which types to review again, and
 * the live entry kept the fields the platform no longer takes. The pull now names each file whose
 * definition differs from the earlier pull's (`changed`), apart from the ones written as before.
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type ProvinceSimulator,
  startProvinceSimulator,
} from '../../adapters/simulators/province/province-simulator.js';
import type { Config } from '../../config/types.js';
import { pullCatalog } from '../../pipelines/catalog-pull.js';

const SECRET = 'catalog-pull-changed-since';
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
  dir = await mkdtemp(join(tmpdir(), 'catalog-pull-changed-'));
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

describe('catalog pull after the platform changed a type', () => {
  const folder = () => join(dir, 'catalog', 'pulled', 'province');

  it('names nothing changed on the first pull, nor on a pull of the same catalog', async () => {
    const first = await pullCatalog(config(), 'province', undefined);
    expect(first.written).toEqual([join(folder(), `${FOOD}.yaml`), join(folder(), `${SMALL}.yaml`)]);
    expect(first.changed).toEqual([]);
    const again = await pullCatalog(config(), 'province', undefined);
    expect(again.changed).toEqual([]);
  });

  it('names the file of the type whose fields changed, and writes the new definition', async () => {
    published[1] = { code: SMALL, name: '小餐饮登记证', surface: surface(['premises', 'seats']) };
    const r = await pullCatalog(config(), 'province', undefined);
    expect(r.written).toHaveLength(2);
    expect(r.changed).toEqual([join(folder(), `${SMALL}.yaml`)]);
    expect(await readFile(join(folder(), `${SMALL}.yaml`), 'utf8')).toContain('- seats');
    // Pulled once more, unchanged since: nothing to review again.
    expect((await pullCatalog(config(), 'province', undefined)).changed).toEqual([]);
  });
});
