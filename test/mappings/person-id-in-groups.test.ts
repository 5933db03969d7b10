/**
 * A mapping declaring its holders organisations (`holder.idType` a constant `001`) masks a row's
 * holder name and id when the id has a resident ID number's shape: a person's license sits among
 * them. A person's number written in its groups (`110101 19900307 1233`, with dashes, spaces of
 * either width or both) had no such shape, so the row's holder.name reason kept the person's name
 * in clear beside the id, and an id in mixed groups (`110101 19900307-1233`) was kept whole.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { type Catalog, loadCatalog } from '../../catalog/catalog.js';
import { compileMappingText } from '../../mappings/compile.js';
import { DEMO_CATALOG_DIR } from '../catalog/fixtures.js';
import { demoValues } from './fixtures.js';
import { demoMapper, ORGANISATION_MAPPING, withCheck } from './holder-fixtures.js';

let catalog: Catalog;
beforeAll(async () => {
  catalog = await loadCatalog(DEMO_CATALOG_DIR);
});

const ID = withCheck(`11010119900307${String(Math.floor(Math.random() * 900) + 100)}`);
const area = ID.slice(0, 6);
const birth = ID.slice(6, 14);
const rest = ID.slice(14);
const toFullWidth = (s: string): string =>
  s.replace(/[0-9X]/g, (c) => String.fromCharCode(c.charCodeAt(0) + 0xfee0));

const GROUPED = [
  `${area} ${birth} ${rest}`,
  `${area}-${birth}-${rest}`,
  `${area} ${birth}-${rest}`,
  `${area}  ${birth}  ${rest}`,
  `${area} - ${birth} - ${rest}`,
  toFullWidth(`${area}\u3000${birth}\u3000${rest}`),
];

const reasonsOf = (values: Record<string, string>) => {
  const r = compileMappingText(ORGANISATION_MAPPING, '/maps/m.yaml').map(values);
  if (r.ok) throw new Error('expected the row to be quarantined');
  return r.reasons;
};

describe("a person's ID number written in groups, on a row of a mapping for organisations", () => {
  it("masks the holder's name in a holder.name reason", () => {
    for (const id of GROUPED) {
      const reasons = reasonsOf({ MC: '欧阳\u0007秀英', DM: id });
      const name = reasons.find((x) => x.path === 'holder.name');
      expect(name?.code, id).toBe('LB_MAP_CONTROL_CHAR');
      expect(JSON.stringify(reasons), id).not.toContain('秀英');
    }
  });

  it("masks the id and the name in the catalog's reasons, its birth date hidden", () => {
    const mapper = demoMapper(catalog);
    for (const id of GROUPED) {
      const result = mapper({ key: '1', values: demoValues({ JYZMC: '欧阳秀英', TYSHXYDM: id }) }, 'run-1');
      if (result.ok) throw new Error('expected the row to be quarantined');
      const shown = JSON.stringify(result.reasons);
      expect(
        result.reasons.some((r) => r.path === 'holder.id'),
        id,
      ).toBe(true);
      expect(shown, id).not.toContain('秀英');
      expect(shown, id).not.toContain(birth);
      expect(shown, id).not.toContain(toFullWidth(birth));
    }
  });

  it("keeps an organisation's name and code in clear", () => {
    const reasons = reasonsOf({ MC: '青岛海滨\u0007食品有限公司', DM: '91370406L24894136J' });
    expect(String(reasons.find((x) => x.path === 'holder.name')?.value)).toContain('食品有限公司');
  });
});
