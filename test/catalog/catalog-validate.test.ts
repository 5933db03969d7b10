import { beforeAll, describe, expect, it } from 'vitest';
import { type Catalog, loadCatalog } from '../../catalog/catalog.js';
import { buildIdentifier } from '../../catalog/identifier.js';
import type { License } from '../../catalog/license.js';
import { DEMO_CATALOG_DIR, DEMO_ISSUER, demoLicense } from './fixtures.js';

let catalog: Catalog;
beforeAll(async () => {
  catalog = await loadCatalog(DEMO_CATALOG_DIR);
});

function codes(license: License): string[] {
  return catalog.validate(license).map((r) => `${r.code} ${r.path ?? ''}`);
}

describe('Catalog.validate', () => {
  it('accepts a valid license, with or without an end date', () => {
    expect(catalog.validate(demoLicense())).toEqual([]);
    expect(catalog.validate({ ...demoLicense(), validTo: null })).toEqual([]);
  });

  it('reports a missing field as LB_SCHEMA_REQUIRED at its path', () => {
    const { number: _n, ...rest } = demoLicense();
    expect(codes(rest as License)).toEqual(['LB_SCHEMA_REQUIRED number']);
    const license = demoLicense();
    delete license.surface.businessItems;
    expect(codes(license)).toEqual(['LB_SCHEMA_REQUIRED surface.businessItems']);
  });

  it('checks formats: dates, area code, issuer code, identifier', () => {
    expect(codes({ ...demoLicense(), validFrom: '2021-02-30' })).toEqual(['LB_SCHEMA_FORMAT validFrom']);
    expect(codes({ ...demoLicense(), issueDate: '20210315' })).toEqual(['LB_SCHEMA_FORMAT issueDate']);
    expect(codes({ ...demoLicense(), areaCode: '000000' })).toEqual(['LB_SCHEMA_FORMAT areaCode']);
    // The probe identifier still names the valid issuer, so the mismatch is reported too.
    expect(codes({ ...demoLicense(), issuer: { ...DEMO_ISSUER, code: '11370211MB1234567X' } })).toEqual([
      'LB_SCHEMA_FORMAT issuer.code',
      'LB_IDENTIFIER_MISMATCH identifier',
    ]);
    const id = demoLicense().identifier;
    const broken = `${id.slice(0, -1)}${id.endsWith('0') ? '1' : '0'}`;
    expect(codes({ ...demoLicense(), identifier: broken })).toEqual(['LB_SCHEMA_FORMAT identifier']);
  });

  it('checks enums: status and the holder id types of the holder category', () => {
    expect(codes({ ...demoLicense(), status: 'active' as License['status'] })).toEqual([
      'LB_SCHEMA_ENUM status',
    ]);
    const person = { ...demoLicense().holder, idType: '111', id: '11010519491231002X' };
    expect(codes({ ...demoLicense(), holder: person })).toEqual(['LB_SCHEMA_ENUM holder.idType']);
  });

  it('checks the type code against the entry, and unknown types', () => {
    const other = { ...demoLicense(), type: { name: 'x', code: '11100000000013338W032' } };
    expect(codes(other)).toEqual(['LB_CATALOG_TYPE type.code']);
  });

  it("checks the holder id by its type; a legal person's credit code is public, shown in clear", () => {
    const license = { ...demoLicense(), holder: { ...demoLicense().holder, id: '91370406L24894136K' } };
    const reasons = catalog.validate(license);
    expect(reasons).toHaveLength(1);
    expect(reasons[0]).toMatchObject({
      code: 'LB_HOLDER_ID_CHECK',
      path: 'holder.id',
      value: '91370406L24894136K',
    });
    const forbidden = { ...demoLicense(), holder: { ...demoLicense().holder, id: '91370406I24894136J' } };
    expect(codes(forbidden)).toEqual(['LB_HOLDER_ID_FORMAT holder.id']);
  });

  it('masks personal surface fields in reasons', () => {
    const license = demoLicense();
    license.surface.legalRepresentative = '张三丰'.repeat(30);
    const reasons = catalog.validate(license);
    expect(reasons).toHaveLength(1);
    expect(reasons[0]?.code).toBe('LB_SCHEMA_LENGTH');
    expect(reasons[0]?.value).toMatch(/^张\*+/);
    expect(reasons[0]?.value).not.toContain('三丰');
  });

  it('reports validTo before validFrom as LB_DATE_RANGE', () => {
    expect(codes({ ...demoLicense(), validTo: '2021-03-14' })).toEqual(['LB_DATE_RANGE validTo']);
  });

  it('rejects fields outside the license and surface', () => {
    const license = { ...demoLicense(), extra: 1 } as License;
    expect(codes(license)).toEqual(['LB_SCHEMA_ADDITIONAL extra']);
    const surface = demoLicense();
    surface.surface.legalRepresentativeId = '11010519491231002X';
    expect(codes(surface)).toEqual(['LB_SCHEMA_ADDITIONAL surface.legalRepresentativeId']);
  });

  it('rejects an identifier of another issuer', () => {
    const identifier = buildIdentifier({
      typeCode: demoLicense().type.code,
      issuerCode: '91370406L24894136J',
      serial: 'ABC123',
      version: 1,
    });
    expect(codes({ ...demoLicense(), identifier })).toEqual(['LB_IDENTIFIER_MISMATCH identifier']);
  });

  it('never throws on garbage', () => {
    for (const junk of [null, 42, 'x', [], { type: null }, { type: { code: demoLicense().type.code } }]) {
      const reasons = catalog.validate(junk as unknown as License);
      expect(reasons.length).toBeGreaterThan(0);
    }
  });
});
