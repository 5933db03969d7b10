import { describe, expect, it } from 'vitest';
import { buildCatalog } from '../../catalog/catalog.js';
import { compileMappingText } from '../../mappings/compile.js';
import { createLicenseMapper } from '../../mappings/license-mapper.js';
import {
  GOOD_ID,
  goodRow,
  HOSTILE_ENTRY,
  HOSTILE_ISSUER,
  HOSTILE_MAPPING,
  HOSTILE_TYPE,
  hostileCases,
} from './hostile-corpus.js';

const mapper = createLicenseMapper({
  pipeline: 'health',
  sourceName: 'legacy',
  mapping: compileMappingText(HOSTILE_MAPPING, 'health.yaml'),
  catalog: buildCatalog([{ file: 'health-entry.yaml', text: HOSTILE_ENTRY }]),
  licenseType: HOSTILE_TYPE,
  issuer: HOSTILE_ISSUER,
  areaCode: '370211',
});

describe('the hostile corpus', () => {
  it('a good row maps, with the lowercase x and 15-digit forms normalised', () => {
    const r = mapper({ key: '1', values: goodRow(1) }, 'run');
    if (!r.ok) throw new Error(JSON.stringify(r.reasons));
    expect(r.candidate.build(1).holder.id).toBe(GOOD_ID);
    const old = mapper({ key: '2', values: { ...goodRow(2), SFZH: '110105491231002' } }, 'run');
    expect(old.ok && old.candidate.build(1).holder.id).toBe(GOOD_ID);
  });

  it.each(hostileCases().map((c) => [c.what, c] as const))(
    '%s → one failure with the right code',
    (_what, c) => {
      let result: ReturnType<typeof mapper> | undefined;
      expect(() => {
        result = mapper({ key: String(c.values.ID), values: c.values }, 'run');
      }).not.toThrow();
      if (!result || result.ok) throw new Error('expected the row to be quarantined');
      expect(result.reasons.length).toBeGreaterThan(0);
      expect(new Set(result.reasons.map((r) => r.code))).toEqual(new Set([c.code]));
      const text = JSON.stringify(result.reasons);
      // Personal data never travels in full into a reason; long values are cut.
      expect(text).not.toContain(GOOD_ID);
      expect(text).not.toContain('李四');
      expect(text.length).toBeLessThan(4000);
    },
  );

  it('every reason names a rule path, and mapping reasons name the column and the file:line', () => {
    for (const c of hostileCases()) {
      const r = mapper({ key: String(c.values.ID), values: c.values }, 'run');
      if (r.ok) throw new Error(c.what);
      for (const reason of r.reasons) {
        expect(reason.path, c.what).toBeTruthy();
        expect(reason.location, c.what).toMatch(/^health\.yaml:\d+$/);
        expect(reason.column, c.what).toBeTruthy();
      }
    }
  });
});
