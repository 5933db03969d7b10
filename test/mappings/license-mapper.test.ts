import { beforeAll, describe, expect, it } from 'vitest';
import { contentHash } from '../../catalog/canonical.js';
import { buildCatalog, type Catalog, loadCatalog } from '../../catalog/catalog.js';
import { deriveSerial, IDENTIFIER_ROOT, parseIdentifier } from '../../catalog/identifier.js';
import { ConfigError } from '../../core/errors.js';
import { compileMapping, compileMappingText } from '../../mappings/compile.js';
import { createLicenseMapper, type LicenseMapperOptions } from '../../mappings/license-mapper.js';
import type { CompiledMapping } from '../../mappings/types.js';
import { DEMO_CATALOG_DIR, DEMO_ISSUER, DEMO_TYPE } from '../catalog/fixtures.js';
import { DEMO_MAPPING_FILE, demoValues } from './fixtures.js';

let catalog: Catalog;
let mapping: CompiledMapping;
let options: LicenseMapperOptions;
beforeAll(async () => {
  catalog = await loadCatalog(DEMO_CATALOG_DIR);
  mapping = await compileMapping(DEMO_MAPPING_FILE);
  options = {
    pipeline: 'food-business-licenses',
    sourceName: 'market-food',
    mapping,
    catalog,
    licenseType: DEMO_TYPE,
    issuer: DEMO_ISSUER,
    areaCode: '370211',
  };
});

describe('createLicenseMapper: demo row end to end', () => {
  it('produces a candidate whose version 1 identifier parses and checks', () => {
    const mapper = createLicenseMapper(options);
    const result = mapper({ key: '1', values: demoValues() }, 'run-1');
    if (!result.ok) throw new Error(JSON.stringify(result.reasons));
    const { candidate } = result;
    const v1 = candidate.build(1);
    const parsed = parseIdentifier(v1.identifier);
    expect(parsed).toMatchObject({
      ok: true,
      typeCode: DEMO_TYPE,
      issuerCode: DEMO_ISSUER.code,
      serial: deriveSerial('food-business-licenses', '1'),
      version: 1,
      legacyCheck: false,
    });
    expect(candidate.licenseId).toBe(
      `${IDENTIFIER_ROOT}.${DEMO_TYPE}.${DEMO_ISSUER.code}.${deriveSerial('food-business-licenses', '1')}`,
    );
    expect(v1.identifier.startsWith(`${candidate.licenseId}.001.`)).toBe(true);
    expect(v1).toMatchObject({
      number: 'JY23702110012345',
      type: { name: '食品经营许可证', code: DEMO_TYPE },
      issuer: DEMO_ISSUER,
      areaCode: '370211',
      status: 'valid',
    });
    expect(catalog.validate(v1)).toEqual([]);
    expect(candidate).toMatchObject({ sourceKey: '1', status: 'valid' });
    expect(candidate.lineage).toEqual({
      pipeline: 'food-business-licenses',
      source: 'market-food',
      sourceKey: '1',
      runId: 'run-1',
      catalogVersion: catalog.version,
      mappingVersion: mapping.version,
    });
  });

  it('gives the same content hash across calls and runs, and for every version', () => {
    const mapper = createLicenseMapper(options);
    const a = mapper({ key: '1', values: demoValues() }, 'run-1');
    const b = createLicenseMapper(options)({ key: '1', values: demoValues() }, 'run-2');
    if (!a.ok || !b.ok) throw new Error('expected both rows to map');
    expect(a.candidate.contentHash).toMatch(/^[0-9a-f]{64}$/);
    expect(b.candidate.contentHash).toBe(a.candidate.contentHash);
    expect(contentHash(a.candidate.build(3))).toBe(a.candidate.contentHash);
    const v2 = a.candidate.build(2);
    expect(parseIdentifier(v2.identifier)).toMatchObject({ ok: true, version: 2 });
    expect(v2.identifier).not.toBe(a.candidate.build(1).identifier);
  });

  it('changes the hash when content changes, and the license id when the key does', () => {
    const mapper = createLicenseMapper(options);
    const a = mapper({ key: '1', values: demoValues() }, 'r');
    const b = mapper({ key: '1', values: demoValues({ ZT: '0' }) }, 'r');
    const c = mapper({ key: '2', values: demoValues() }, 'r');
    if (!a.ok || !b.ok || !c.ok) throw new Error('expected all rows to map');
    expect(b.candidate.contentHash).not.toBe(a.candidate.contentHash);
    expect(b.candidate.status).toBe('revoked');
    expect(b.candidate.licenseId).toBe(a.candidate.licenseId);
    expect(c.candidate.licenseId).not.toBe(a.candidate.licenseId);
    expect(c.candidate.contentHash).toBe(a.candidate.contentHash);
  });

  it('builds a fresh object each time', () => {
    const r = createLicenseMapper(options)({ key: '1', values: demoValues() }, 'r');
    if (!r.ok) throw new Error('expected the row to map');
    const first = r.candidate.build(1);
    first.surface.premises = 'changed';
    expect(r.candidate.build(1).surface.premises).toBe('青岛市黄岛区长江中路1号');
  });
});

describe('createLicenseMapper: bad rows', () => {
  it('quarantines a credit code with a forbidden letter, located at the mapping rule', () => {
    const r = createLicenseMapper(options)(
      { key: '1', values: demoValues({ TYSHXYDM: '91370406I24894136J' }) },
      'r',
    );
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.reasons).toHaveLength(1);
    expect(r.reasons[0]).toMatchObject({
      code: 'LB_HOLDER_ID_FORMAT',
      path: 'holder.id',
      column: 'TYSHXYDM',
    });
    expect(r.reasons[0]?.location).toMatch(/food-business-license\.yaml:\d+$/);
    // A legal person's credit code is public registration data: the reason shows it to fix it.
    expect(r.reasons[0]?.value).toBe('91370406I24894136J');
  });

  it('quarantines a wrong credit-code check char and a bad area code', () => {
    const mapper = createLicenseMapper(options);
    const check = mapper({ key: '1', values: demoValues({ TYSHXYDM: '91370406L24894136K' }) }, 'r');
    expect(!check.ok && check.reasons.map((x) => x.code)).toEqual(['LB_HOLDER_ID_CHECK']);
    const area = mapper({ key: '1', values: demoValues({ XZQH: '000000' }) }, 'r');
    expect(!area.ok && area.reasons.map((x) => x.code)).toEqual(['LB_SCHEMA_FORMAT']);
  });

  it('passes mapping failures through unchanged', () => {
    const r = createLicenseMapper(options)({ key: '1', values: demoValues({ FZRQ: '20230230' }) }, 'r');
    expect(!r.ok && r.reasons.map((x) => x.code)).toEqual(['LB_MAP_DATE', 'LB_MAP_DATE']);
  });
});

describe('createLicenseMapper: natural-person licenses', () => {
  const entry = [
    'code: 11100000000013338W011',
    'name: 个人执业证',
    'defineAuthority: { name: 某部委, code: 11100000000013338W }',
    'holderCategory: natural-person',
    'surface: { type: object, additionalProperties: false, properties: {} }',
  ].join('\n');
  const personMapping = [
    'fields:',
    '  number: { from: ZH, transform: [trim] }',
    '  holder.name: { from: XM, transform: [trim] }',
    '  holder.idType: { const: "111" }',
    '  holder.id: { from: SFZH, transform: [trim, upper] }',
    '  issueDate: { from: FZRQ, transform: [{ date: [yyyy-MM-dd] }] }',
    '  validFrom: { from: FZRQ, transform: [{ date: [yyyy-MM-dd] }] }',
    '  validTo: { const: null }',
    '  status: { const: valid }',
  ].join('\n');
  const values = { ZH: 'ZY001', XM: '李四', SFZH: '11010519491231002x', FZRQ: '2020-01-02' };

  function personMapper() {
    return createLicenseMapper({
      pipeline: 'persons',
      sourceName: 's',
      mapping: compileMappingText(personMapping, 'person.yaml'),
      catalog: buildCatalog([{ file: 'person-entry.yaml', text: entry }]),
      licenseType: '11100000000013338W011',
      issuer: { name: '某局', code: '11220000013544541J' },
      areaCode: '110105',
    });
  }

  it('maps a valid resident id and takes the area code from config', () => {
    const r = personMapper()({ key: 'a', values }, 'r');
    if (!r.ok) throw new Error(JSON.stringify(r.reasons));
    expect(r.candidate.build(1)).toMatchObject({ areaCode: '110105', holder: { id: '11010519491231002X' } });
  });

  it('quarantines a resident id with a wrong check digit, masked', () => {
    const r = personMapper()({ key: 'a', values: { ...values, SFZH: '110105194912310021' } }, 'r');
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.reasons).toEqual([
      expect.objectContaining({
        code: 'LB_HOLDER_ID_CHECK',
        path: 'holder.id',
        column: 'SFZH',
        value: '1101**********0021',
      }),
    ]);
    expect(JSON.stringify(r.reasons)).not.toContain('110105194912310021');
  });
});

describe('createLicenseMapper: setup errors', () => {
  it('throws a ConfigError at creation for an unknown license type', () => {
    expect(() => createLicenseMapper({ ...options, licenseType: '11100000000013338W099' })).toThrow(
      ConfigError,
    );
  });

  it('throws a ConfigError at creation for an invalid issuer code or area code', () => {
    expect(() =>
      createLicenseMapper({ ...options, issuer: { name: 'x', code: '11370211MB1234567X' } }),
    ).toThrow(ConfigError);
    expect(() => createLicenseMapper({ ...options, areaCode: '37021' })).toThrow(ConfigError);
  });
});
