// Checking the catalog against a config: a pipeline naming a license type the catalog lacks is a
// problem at that pipeline's licenseType, before any run; the demo catalog passes for its own type.
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Config } from '../../config/types.js';
import { ConfigError } from '../../core/errors.js';
import { checkCatalog } from '../../pipelines/catalog-check.js';

const FOLDER = join(import.meta.dirname, '..', '..', 'examples', 'west-coast', 'catalog');
const KNOWN = '11370200MB12345674001';

const config = (types: Record<string, string>) =>
  ({
    file: '/etc/licbridge.yaml',
    pipelines: Object.fromEntries(
      Object.entries(types).map(([name, licenseType]) => [name, { licenseType }]),
    ),
  }) as unknown as Config;

describe('checkCatalog', () => {
  it('loads a catalog without a config, and with one whose types it holds', async () => {
    const alone = await checkCatalog(FOLDER);
    expect(alone.get(KNOWN)).toBeDefined();
    const checked = await checkCatalog(FOLDER, config({ food: KNOWN }));
    expect(checked.version).toBe(alone.version);
  });

  it('names each pipeline whose license type is missing', async () => {
    const err = await checkCatalog(FOLDER, config({ food: KNOWN, roads: '11370200MB12345674999' })).catch(
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(ConfigError);
    expect((err as ConfigError).problems).toEqual([
      {
        file: '/etc/licbridge.yaml',
        line: 1,
        column: 1,
        path: 'pipelines.roads.licenseType',
        message: `license type 11370200MB12345674999 is not in the catalog ${FOLDER}`,
      },
    ]);
  });
});
