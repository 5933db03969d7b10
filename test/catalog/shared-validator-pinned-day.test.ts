/**
 * A face field checked as a resident id (`format: resident-id`, or `holderIdType: "111"`) refuses
 * a birth date after the day the license is validated on (Catalog.validate's `today`), as
 * holder.id does. The compiled validators are shared by schema text between builds whose modules
 * were evaluated apart (test/support/shared-validators.ts: the files of a test worker and the
 * commands run in process), and their checks ran in the modules of the build that compiled them:
 * a later build set its own day and the compiled check still read the clock's.
 */
import { describe, expect, it, vi } from 'vitest';
import { residentIdCheckChar } from '../../catalog/holder-id.js';
import { demoEntryText, demoLicense } from './fixtures.js';

const FORM = '      maxLength: 64\n      description: 主体业态';
const BIRTH = '20240601';
const ID = `370211${BIRTH}123`;
const BORN_20240601 = `${ID}${residentIdCheckChar(ID)}`;

/** A catalog whose businessForm is checked by `rule`, built from licbridge's modules loaded anew. */
async function freshBuild(rule: string) {
  vi.resetModules();
  const { buildCatalog } = await import('../../catalog/catalog.js');
  const text = (await demoEntryText()).replace(FORM, `${rule}\n      description: 主体业态`);
  if (!text.includes(rule)) throw new Error('demo entry: businessForm rule not found');
  return buildCatalog([{ file: '/catalog/food.yaml', text }]);
}

const license = () => {
  const l = demoLicense();
  return { ...l, surface: { ...l.surface, businessForm: BORN_20240601 } };
};

describe.each([
  ['format: resident-id', '      format: resident-id'],
  ['holderIdType: "111"', '      holderIdType: "111"'],
])('a face field checked by %s, on the day given', (_name, rule) => {
  it('refuses a birth after that day in every build, the first and the ones reusing its validators', async () => {
    for (let build = 0; build < 3; build++) {
      const catalog = await freshBuild(rule);
      const before = catalog.validate(license(), '2024-05-31').map((r) => `${r.code} ${r.path}`);
      expect(before, `build ${build + 1}`).toEqual([expect.stringMatching(/ surface\.businessForm$/)]);
      expect(catalog.validate(license(), '2024-06-01'), `build ${build + 1}`).toEqual([]);
    }
  });
});
