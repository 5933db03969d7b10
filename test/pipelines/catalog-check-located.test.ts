/**
 * `licbridge catalog check --config` refused a pipeline whose license type the catalog lacks at
 * `licbridge.yaml:1:1`, the config's first line, where `config check` names the pipeline's
 * `licenseType:` line: in a config of many pipelines the operator had to search for it. The
 * problem is now located at that line and column.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Config } from '../../config/types.js';
import { ConfigError } from '../../core/errors.js';
import { checkCatalog } from '../../pipelines/catalog-check.js';

const FOLDER = join(import.meta.dirname, '..', '..', 'examples', 'west-coast', 'catalog');
const KNOWN = '11370200MB12345674001';
const MISSING = '11370200MB12345674999';

let dir: string;
let file: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'catalog-check-located-'));
  file = join(dir, 'licbridge.yaml');
  // Only the lines that matter to the position; the config object below is what checkCatalog reads.
  await writeFile(
    file,
    [
      'catalog: ./catalog',
      'pipelines:',
      '  food:',
      `    licenseType: "${KNOWN}"`,
      '  roads:',
      '    source: legacy',
      `    licenseType: "${MISSING}"`,
      '',
    ].join('\n'),
  );
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('catalog check against a config', () => {
  it('locates a missing license type at its pipeline’s licenseType line', async () => {
    const config = {
      file,
      pipelines: { food: { licenseType: KNOWN }, roads: { licenseType: MISSING } },
    } as unknown as Config;
    const err = await checkCatalog(FOLDER, config).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ConfigError);
    expect((err as ConfigError).problems).toEqual([
      {
        file,
        line: 7,
        column: 18,
        path: 'pipelines.roads.licenseType',
        message: `license type ${MISSING} is not in the catalog ${FOLDER}`,
      },
    ]);
  });
});
