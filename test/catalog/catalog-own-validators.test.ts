/**
 * Catalogs built in one process share compiled License validators by schema text
 * (catalog/validator-cache.ts) and one ajv instance for the meta-schema check
 * (catalog/meta-schema-check.ts). Each catalog still answers by its own schema: a catalog whose
 * surface holds another length limit or another format never gets the other's validator, whichever
 * was built first or last. Building the same catalogs again makes no ajv instance at all.
 */
import { describe, expect, it, vi } from 'vitest';
import type { Catalog } from '../../catalog/catalog.js';
import type { License } from '../../catalog/license.js';
import { demoEntryText, demoLicense } from './fixtures.js';

const made = vi.hoisted(() => ({ count: 0 }));

// Counts every ajv instance made by the modules this file loads.
vi.mock('ajv', async (importOriginal) => {
  const original = await importOriginal<typeof import('ajv')>();
  class CountedAjv extends original.Ajv {
    constructor(...args: ConstructorParameters<typeof original.Ajv>) {
      super(...args);
      made.count += 1;
    }
  }
  return { ...original, Ajv: CountedAjv, default: CountedAjv };
});

// Empty, as in a fresh process: not the ones the files of a worker share
// (test/support/shared-validators.ts), which hold instances made before this file's counting.
vi.unmock('../../catalog/validator-cache.js');
vi.unmock('../../catalog/meta-schema-check.js');

const { buildCatalog } = await import('../../catalog/catalog.js');

const FORM = '      maxLength: 64\n      description: 主体业态';

/** The demo entry with its `businessForm` rule replaced by `rule`. */
async function entryWith(rule: string): Promise<string> {
  const text = await demoEntryText();
  if (!text.includes(FORM)) throw new Error('demo entry: businessForm rule not found');
  return text.replace(FORM, `${rule}\n      description: 主体业态`);
}

const withForm = (businessForm: string): License => {
  const license = demoLicense();
  return { ...license, surface: { ...license.surface, businessForm } };
};

/** The codes of the reasons `catalog` refuses a license with this businessForm for; none when valid. */
const refusals = (catalog: Catalog, businessForm: string): string[] =>
  catalog.validate(withForm(businessForm), '2024-01-01').map((r) => `${r.code} ${r.path ?? ''}`);

describe('catalogs with different schemas in one process', () => {
  it('answer each by its own schema, built once and again, and the rebuilds make no ajv instance', async () => {
    const sources = {
      plain: [{ file: '/catalog/plain.yaml', text: await entryWith('      maxLength: 64') }],
      short: [{ file: '/catalog/short.yaml', text: await entryWith('      maxLength: 3') }],
      division: [{ file: '/catalog/division.yaml', text: await entryWith('      format: division-code') }],
    };
    const expected = {
      plain: { 食品销售经营者: 0, abcd: 0, '370211': 0 },
      short: { 食品销售经营者: 1, abcd: 1, '370211': 1 },
      division: { 食品销售经营者: 1, abcd: 1, '370211': 0 },
    } as const;
    const check = (name: keyof typeof sources, catalog: Catalog) => {
      for (const [form, count] of Object.entries(expected[name])) {
        const reasons = refusals(catalog, form);
        expect(reasons, `${name} catalog, businessForm ${form}`).toHaveLength(count);
        for (const r of reasons) expect(r).toMatch(/surface\.businessForm$/);
      }
    };

    made.count = 0;
    for (const name of ['plain', 'short', 'division'] as const) check(name, buildCatalog(sources[name]));
    // The entry schema's instance, the three of the first build, the meta-schema check's.
    expect(made.count).toBeGreaterThan(0);

    made.count = 0;
    for (const name of ['division', 'short', 'plain', 'short'] as const) {
      check(name, buildCatalog(sources[name]));
    }
    expect(made.count).toBe(0);
  });
});
