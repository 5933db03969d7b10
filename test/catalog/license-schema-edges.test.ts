/**
 * The canonical License schema a catalog entry compiles to, one rule at a time: the demo license
 * is valid, and each change below breaks exactly the rule named (docs/catalog.md, the License
 * fields and their limits). Built through buildCatalog, as the pipeline builds it.
 */
import { Ajv } from 'ajv';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildCatalog, type Catalog } from '../../catalog/catalog.js';
import { registerFormats } from '../../catalog/formats.js';
import type { License } from '../../catalog/license.js';
import {
  allowedIdTypes,
  holderCategoriesOf,
  idTypesOfCategory,
  licenseSchemaFor,
} from '../../catalog/license-schema.js';
import { DEMO_ENTRY_FILE, DEMO_TYPE, demoEntryText, demoLicense } from './fixtures.js';

// Built inside each test, not in a hook: code a hook runs counts as run by no test, and the
// mutation run (per-test coverage) would then not try these tests against the schema's mutants.
let entryText: string;
beforeAll(async () => {
  entryText = await demoEntryText();
});
const catalog = (): Catalog => buildCatalog([{ file: DEMO_ENTRY_FILE, text: entryText }]);

// biome-ignore lint/suspicious/noExplicitAny: a license edited field by field, wrong types on purpose
type Loose = Record<string, any>;
type Edit = (l: Loose) => void;
const problems = (edit: Edit) => {
  const l = structuredClone(demoLicense()) as unknown as Loose;
  edit(l);
  return catalog()
    .validate(l as License)
    .map((p) => `${p.code} ${p.path}`);
};

describe('the License schema of an entry', () => {
  it('accepts the demo license and a long-term one', () => {
    expect(problems(() => {})).toEqual([]);
    expect(problems((l) => (l.validTo = null))).toEqual([]);
    expect(problems((l) => (l.number = 'N'.repeat(128)))).toEqual([]);
    expect(problems((l) => (l.holder.name = '名'.repeat(256)))).toEqual([]);
    expect(problems((l) => (l.previousIdentifier = l.identifier))).toEqual([]);
  });

  it.each([
    'identifier',
    'number',
    'issuer',
    'issueDate',
    'validFrom',
    'validTo',
    'areaCode',
    'holder',
    'status',
    'surface',
  ])('requires %s', (field) => {
    // Without an issuer the identifier also names another issuer than the license: a second reason.
    expect(problems((l) => delete l[field])[0]).toBe(`LB_SCHEMA_REQUIRED ${field}`);
  });

  it.each([
    ['holder', 'name'],
    ['holder', 'idType'],
    ['holder', 'id'],
    ['type', 'name'],
    ['issuer', 'name'],
    ['issuer', 'code'],
  ])('requires %s.%s', (parent, field) => {
    const got = problems((l) => delete l[parent][field]);
    expect(got).toContain(`LB_SCHEMA_REQUIRED ${parent}.${field}`);
  });

  it('refuses fields it does not define, at the top, in holder, type and issuer', () => {
    expect(problems((l) => (l.extra = 1))).toEqual(['LB_SCHEMA_ADDITIONAL extra']);
    expect(problems((l) => (l.holder.extra = 1))).toEqual(['LB_SCHEMA_ADDITIONAL holder.extra']);
    expect(problems((l) => (l.type.extra = 1))).toEqual(['LB_SCHEMA_ADDITIONAL type.extra']);
    expect(problems((l) => (l.issuer.extra = 1))).toEqual(['LB_SCHEMA_ADDITIONAL issuer.extra']);
  });

  it('number and holder name: non-blank, with upper limits', () => {
    expect(problems((l) => (l.number = ''))).toContain('LB_SCHEMA_LENGTH number');
    expect(problems((l) => (l.number = '   '))).toEqual(['LB_SCHEMA_PATTERN number']);
    expect(problems((l) => (l.number = 'N'.repeat(129)))).toEqual(['LB_SCHEMA_LENGTH number']);
    expect(problems((l) => (l.number = 5))).toEqual(['LB_SCHEMA_TYPE number']);
    expect(problems((l) => (l.holder.name = ' '))).toEqual(['LB_SCHEMA_PATTERN holder.name']);
    expect(problems((l) => (l.holder.name = '名'.repeat(257)))).toEqual(['LB_SCHEMA_LENGTH holder.name']);
    expect(problems((l) => (l.type.name = ''))).toEqual(['LB_SCHEMA_LENGTH type.name']);
    expect(problems((l) => (l.issuer.name = ''))).toEqual(['LB_SCHEMA_LENGTH issuer.name']);
  });

  it('codes, dates, area and status by their formats', () => {
    // The identifier then names another issuer: a second reason.
    expect(problems((l) => (l.issuer.code = '11370211MB12345673'))[0]).toBe('LB_SCHEMA_FORMAT issuer.code');
    for (const f of ['issueDate', 'validFrom'])
      expect(problems((l) => (l[f] = '2021-02-30'))).toEqual([`LB_SCHEMA_FORMAT ${f}`]);
    expect(problems((l) => (l.validTo = '2026-02-30'))).toEqual(['LB_SCHEMA_FORMAT validTo']);
    expect(problems((l) => (l.validTo = 5))).toEqual(['LB_SCHEMA_TYPE validTo']);
    expect(problems((l) => (l.areaCode = '000000'))).toEqual(['LB_SCHEMA_FORMAT areaCode']);
    expect(problems((l) => (l.status = 'lost'))).toEqual(['LB_SCHEMA_ENUM status']);
    expect(problems((l) => (l.identifier = `${l.identifier.slice(0, -1)}Q`))).toContain(
      'LB_SCHEMA_FORMAT identifier',
    );
    expect(problems((l) => (l.previousIdentifier = 'x'))).toEqual(['LB_SCHEMA_FORMAT previousIdentifier']);
    expect(problems((l) => (l.holder.id = 5))).toContain('LB_SCHEMA_TYPE holder.id');
    expect(problems((l) => (l.holder.idType = '414'))).toEqual(['LB_SCHEMA_ENUM holder.idType']);
  });
});

describe('the type, which selects the entry', () => {
  // The catalog picks the entry by type.code, so the schema's own type rules are checked directly.
  const validate = () => {
    const schema = licenseSchemaFor({
      code: DEMO_TYPE,
      holderCategory: 'legal-person',
      surface: { type: 'object' },
    });
    return registerFormats(new Ajv({ allErrors: true, strict: true, strictTypes: false })).compile(schema);
  };
  it('requires a type with exactly the entry code', () => {
    const v = validate();
    const l = demoLicense() as unknown as Loose;
    expect(v(l)).toBe(true);
    expect(v({ ...l, type: { ...l.type, code: '11370200MB12345674002' } })).toBe(false);
    expect(v.errors?.map((e) => `${e.keyword} ${e.instancePath}`)).toEqual(['const /type/code']);
    const { type: _t, ...noType } = l;
    expect(v(noType)).toBe(false);
    expect(v.errors?.map((e) => `${e.keyword} ${JSON.stringify(e.params)}`)).toEqual([
      'required {"missingProperty":"type"}',
    ]);
    expect(v({ ...l, type: { name: 't' } })).toBe(false);
    expect(v.errors?.map((e) => `${e.keyword} ${e.instancePath}`)).toEqual(['required /type']);
  });
});

describe('holder categories and id types', () => {
  it('both, one, or a list', () => {
    expect(holderCategoriesOf('both')).toEqual(['natural-person', 'legal-person']);
    expect(holderCategoriesOf('legal-person')).toEqual(['legal-person']);
    expect(holderCategoriesOf(['natural-person'])).toEqual(['natural-person']);
  });

  it('a legal person holds 001 and 099; a natural person every other GB/T 36903 type', () => {
    expect(idTypesOfCategory('legal-person')).toEqual(['001', '099']);
    const natural = idTypesOfCategory('natural-person');
    expect(natural).toContain('111');
    expect(natural).toContain('999');
    expect(natural).not.toContain('001');
    expect(natural).not.toContain('099');
  });

  it('holderIdTypes narrows the categories, in the entry order; a type outside them is dropped', () => {
    expect(allowedIdTypes({ holderCategory: 'legal-person' })).toEqual(['001', '099']);
    expect(allowedIdTypes({ holderCategory: 'both', holderIdTypes: ['111', '001'] })).toEqual(['111', '001']);
    expect(allowedIdTypes({ holderCategory: 'legal-person', holderIdTypes: ['111', '001'] })).toEqual([
      '001',
    ]);
    expect(allowedIdTypes({ holderCategory: ['natural-person', 'legal-person'] })[0]).toBe('001');
  });
});
