/**
 * A quarantine reason shows the value it is about, with any resident ID or mobile number in it
 * masked, and the ledger keeps it for years. A PRC passport or Hong Kong/Macao travel permit
 * number quoted in a field no name marks personal (a remark, an address: `业主护照E12345678`) was
 * kept whole, though an error's text, a record key in the reports and `preview` mask it by its
 * shape. A reason's value now masks it too, the mapping stage's and the catalog's alike.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { type Catalog, loadCatalog } from '../../catalog/catalog.js';
import { compileMappingText } from '../../mappings/compile.js';
import { DEMO_CATALOG_DIR } from '../catalog/fixtures.js';
import { demoValues } from './fixtures.js';
import { demoMapper } from './holder-fixtures.js';

let catalog: Catalog;
beforeAll(async () => {
  catalog = await loadCatalog(DEMO_CATALOG_DIR);
});

const digits = (n: number): string =>
  Array.from({ length: n }, (_, i) =>
    String((i === 0 ? 1 : 0) + Math.floor(Math.random() * (i === 0 ? 9 : 10))),
  ).join('');
const PASSPORT = `E${digits(8)}`;
const PERMIT = `H${digits(8)}`;
const middle = (n: string): string => n.slice(2, 7);

const MAPPING = [
  'fields:',
  '  holder.name: { from: MC }',
  '  holder.idType: { const: "001" }',
  '  holder.id: { from: DM }',
  '  surface.remark: { from: BZ }',
  '',
].join('\n');

describe('a passport or travel permit number quoted in a reason', () => {
  it("is masked in a mapping reason's value", () => {
    for (const number of [PASSPORT, PERMIT]) {
      const r = compileMappingText(MAPPING, '/maps/m.yaml').map({
        MC: '青岛海滨食品有限公司',
        DM: '91370406L24894136J',
        BZ: `业主护照${number}\u0007`,
      });
      if (r.ok) throw new Error('expected the row to be quarantined');
      const reason = r.reasons.find((x) => x.path === 'surface.remark');
      expect(reason?.code).toBe('LB_MAP_CONTROL_CHAR');
      expect(reason?.value).toContain('业主护照');
      expect(JSON.stringify(r.reasons)).not.toContain(middle(number));
    }
  });

  it("is masked in a catalog reason's value", () => {
    const mapper = demoMapper(catalog);
    // Past the demo entry's maxLength of 256 for premises.
    const premises = `房东护照${PASSPORT} 青岛市黄岛区${'长江中路'.repeat(72)}号`;
    const result = mapper({ key: '1', values: demoValues({ JYCS: premises }) }, 'run-1');
    if (result.ok) throw new Error('expected the row to be quarantined');
    const reason = result.reasons.find((r) => r.path === 'surface.premises');
    expect(reason?.code).toBe('LB_SCHEMA_LENGTH');
    expect(reason?.value).toContain('房东护照');
    expect(JSON.stringify(result.reasons)).not.toContain(middle(PASSPORT));
  });
});
