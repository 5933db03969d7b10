/**
 * A holder's id type can be a guess: `holderIdType` read a 15-digit number whose digits 7-12 are no
 * birth date as an organisation's registration number (099), so a person's old ID number with a
 * mistyped birth date was typed 099 and then shown whole in quarantine reasons and previews, as an
 * organisation's public number. Now:
 * - a 15-digit number is 099 only when it carries the registration number's GB/T 17710 MOD 11,10
 *   check digit; neither a birth date nor that check digit is quarantined (LB_MAP_HOLDER_ID_TYPE);
 * - a holder id of a resident ID number's shape (15 digits, or 17 digits and a digit or X) is
 *   masked, with the holder's name, whatever id type the holder was given.
 */
import type { ErrorObject } from 'ajv';
import { describe, expect, it } from 'vitest';
import { holderIdTypeOfShape, isValidRegistrationNumber15 } from '../../catalog/holder-id.js';
import type { License } from '../../catalog/license.js';
import { hasResidentIdShape, isLegalPersonHolder, isPersonalPathFor } from '../../catalog/personal.js';
import { checkLicense, reasonsFromAjv } from '../../catalog/validate-license.js';
import { compileMappingText } from '../../mappings/compile.js';
import { createTransformRegistry } from '../../mappings/transforms.js';
import type { MapValue, TransformStep } from '../../mappings/types.js';
import { masked } from '../../pipelines/preview.js';

// A person born 1949-12-31, the month typed 13: no birth date, and no registration check digit.
const MISTYPED_PERSON_15 = '110105491331002';
// Registration numbers (工商注册号): digits 7-12 no day, the last digit the MOD 11,10 check.
const REGISTRATION_15 = '370211000012341';
const REGISTRATION_15_MONTH_13 = '370211201345670';
// A real birth date that also passes the registration check (one number in ten does).
const PERSON_15_BOTH = '110105491231002';
// A person's 18-digit number with the month typed 13: it fails GB 11643, so by shape alone it
// could be given 001.
const MISTYPED_PERSON_18 = '110105194913310021';
const CREDIT_CODE = '91370211MA3C7XY81Y';

const registry = createTransformRegistry();
const step = (arg: unknown): TransformStep => {
  const s = registry.get('holderIdType')?.compile(arg);
  if (typeof s !== 'function') throw new Error(`holderIdType: ${JSON.stringify(s)}`);
  return s;
};
const run = (arg: unknown, v: MapValue) => {
  const r = step(arg)(v);
  return r.ok ? r.value : `${r.code}: ${r.message}`;
};

describe('15 digits: birth date or registration check digit', () => {
  it('checks the GB/T 17710 MOD 11,10 check digit', () => {
    expect(isValidRegistrationNumber15(REGISTRATION_15)).toBe(true);
    expect(isValidRegistrationNumber15(REGISTRATION_15_MONTH_13)).toBe(true);
    expect(isValidRegistrationNumber15('370211000012345')).toBe(false);
    expect(isValidRegistrationNumber15(MISTYPED_PERSON_15)).toBe(false);
    expect(isValidRegistrationNumber15('37021100001234')).toBe(false);
  });

  it('a person with a mistyped birth date is no organisation: quarantined, never 099', () => {
    expect(holderIdTypeOfShape(MISTYPED_PERSON_15)).toBeNull();
    const out = run(['001', '099', '111'], MISTYPED_PERSON_15);
    expect(out).toMatch(/^LB_MAP_HOLDER_ID_TYPE: holderIdType: 15 digits that are neither/);
    expect(out).not.toContain(MISTYPED_PERSON_15);
  });

  it('099 for a registration number, 111 for a birth date even when the check digit fits', () => {
    expect(run(['001', '099', '111'], REGISTRATION_15)).toBe('099');
    expect(run(['001', '099', '111'], REGISTRATION_15_MONTH_13)).toBe('099');
    expect(run(['001', '099', '111'], PERSON_15_BOTH)).toBe('111');
    // Declared organisations: 15 digits are their registration number.
    expect(run(['001', '099'], MISTYPED_PERSON_15)).toBe('099');
  });
});

describe('a holder id of a resident ID shape is masked whatever its type', () => {
  it('classifies holders by type and id shape', () => {
    for (const id of [
      MISTYPED_PERSON_15,
      REGISTRATION_15,
      MISTYPED_PERSON_18,
      '１１０１０５４９１３３１００２',
    ])
      expect(hasResidentIdShape(id), id).toBe(true);
    for (const id of [CREDIT_CODE, '11010549133100', 'A12345', undefined, 12])
      expect(hasResidentIdShape(id), String(id)).toBe(false);
    expect(hasResidentIdShape(110105194913310021n)).toBe(true);
    expect(isLegalPersonHolder('099', MISTYPED_PERSON_15)).toBe(false);
    expect(isLegalPersonHolder('001', MISTYPED_PERSON_18)).toBe(false);
    expect(isLegalPersonHolder('001', CREDIT_CODE)).toBe(true);
    for (const path of ['holder.id', 'holder.name'])
      expect(isPersonalPathFor(path, '099', MISTYPED_PERSON_15), path).toBe(true);
  });

  it('quarantine reasons: a 001 holder whose id is a mistyped resident ID', () => {
    const license = {
      holder: { name: '张三丰', idType: '001', id: MISTYPED_PERSON_18 },
      validFrom: '2024-01-01',
      validTo: null,
    } as unknown as License;
    const [reason] = checkLicense(license);
    expect(reason?.code).toBe('LB_HOLDER_ID_CHECK');
    expect(reason?.value).toBe('1101**********0021');
    // A schema reason on the name of such a holder masks the name too.
    const error = {
      keyword: 'maxLength',
      instancePath: '/holder/name',
      schemaPath: '#/properties/holder/properties/name/maxLength',
      params: { limit: 2 },
      message: 'must NOT have more than 2 characters',
    } as ErrorObject;
    expect(reasonsFromAjv(license, [error])[0]?.value).toBe('张**');
  });

  it('preview: a 099 holder with a 15-digit id shows both masked', () => {
    const holder = { idType: '099', id: MISTYPED_PERSON_15 };
    expect(masked('holder.id', MISTYPED_PERSON_15, false, holder, false)).toBe('1101*******1002');
    expect(masked('holder.name', '张三丰', false, holder, false)).toBe('张**');
    // A credit code stays public, and --show-personal shows it all.
    const company = { idType: '001', id: CREDIT_CODE };
    expect(masked('holder.id', CREDIT_CODE, false, company, false)).toBe(CREDIT_CODE);
    expect(masked('holder.id', MISTYPED_PERSON_15, true, holder, false)).toBe(MISTYPED_PERSON_15);
  });

  it('mapping reasons: a mapping declaring organisations masks an id of a resident ID shape', () => {
    const mapping = `
fields:
  holder.name: { from: MC, required: true }
  holder.idType: { const: "099" }
  holder.id: { from: ZH, lookup: { "known": "known" }, required: true }
`;
    const reasons = (zh: string) => {
      const result = compileMappingText(mapping, 'm.yaml').map({ MC: '某公司', ZH: zh });
      if (!('reasons' in result) || !result.reasons) throw new Error('expected the row to fail');
      return Object.fromEntries(result.reasons.map((r) => [r.path, r.value]));
    };
    expect(reasons(MISTYPED_PERSON_15)['holder.id']).toBe('1101*******1002');
    expect(reasons('GS-0001')['holder.id']).toBe('GS-0001');
  });
});
