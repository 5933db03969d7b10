/**
 * A holder id type read from a source column (`holder.idType: { from: ZJLX }`) can say `001` for a
 * person's ID number whose check char was mistyped as a letter other than X (`11010519491231002Y`).
 * `holderIdType` types such a value `111` since 8d2c1fd5, but the shape that decides masking was 17
 * digits and a digit or X only: the holder read as an organisation, and its name was shown in clear
 * in catalog reasons, previews and reconciliation samples. 17 digits and any letter are now a
 * resident ID number's shape unless they are a credit code passing GB 32100.
 */
import type { ErrorObject } from 'ajv';
import { describe, expect, it } from 'vitest';
import type { License } from '../../catalog/license.js';
import { hasResidentIdShape, isLegalPersonHolder, isPersonalPathFor } from '../../catalog/personal.js';
import { checkLicense, reasonsFromAjv } from '../../catalog/validate-license.js';
import { checkCode } from '../../pipelines/check-code.js';
import { masked } from '../../pipelines/preview.js';

// 11010519491231002X (GB 11643's example), its check char typed Y: no valid credit code either.
const PERSON_Y = '11010519491231002Y';
// A valid credit code of 17 digits and a letter (GB 32100 vector), and the same with a wrong check char.
const CODE_DIGITS_W = '11100000000013338W';
const CODE_DIGITS_WRONG = '11100000000013338Y';

describe('17 digits and a letter other than X, under id type 001', () => {
  it('have a resident ID number shape unless they pass GB 32100', () => {
    for (const id of [
      PERSON_Y,
      '11010519491231002y',
      '１１０１０５１９４９１２３１００２Ｙ',
      // Outside the GB 32100 alphabet: no credit code at all.
      '11010519491231002Z',
      CODE_DIGITS_WRONG,
    ])
      expect(hasResidentIdShape(id), id).toBe(true);
    expect(hasResidentIdShape(CODE_DIGITS_W)).toBe(false);
    expect(hasResidentIdShape('91370211MA3C7XY81Y')).toBe(false);
    expect(isLegalPersonHolder('001', PERSON_Y)).toBe(false);
    expect(isLegalPersonHolder('001', CODE_DIGITS_W)).toBe(true);
    for (const path of ['holder.id', 'holder.name'])
      expect(isPersonalPathFor(path, '001', PERSON_Y), path).toBe(true);
  });

  it('catalog reasons and previews mask the holder name and id', () => {
    const license = {
      holder: { name: '张三丰', idType: '001', id: PERSON_Y },
      validFrom: '2024-01-01',
      validTo: null,
    } as unknown as License;
    const [reason] = checkLicense(license);
    expect(reason?.code).toBe('LB_HOLDER_ID_CHECK');
    expect(reason?.value).toBe('1101**********002Y');
    const error = {
      keyword: 'maxLength',
      instancePath: '/holder/name',
      schemaPath: '#/properties/holder/properties/name/maxLength',
      params: { limit: 2 },
      message: 'must NOT have more than 2 characters',
    } as ErrorObject;
    expect(reasonsFromAjv(license, [error])[0]?.value).toBe('张**');
    const holder = { idType: '001', id: PERSON_Y };
    expect(masked('holder.name', '张三丰', false, holder, false)).toBe('张**');
    expect(masked('holder.id', PERSON_Y, false, holder, false)).toBe('1101**********002Y');
    // A credit code of 17 digits and its right check letter stays public.
    const company = { idType: '001', id: CODE_DIGITS_W };
    expect(masked('holder.name', '某某公司', false, company, false)).toBe('某某公司');
  });

  it('check uscc masks such a value', () => {
    expect(checkCode('uscc', PERSON_Y).value).toBe('1101**********002Y');
    expect(checkCode('uscc', CODE_DIGITS_W)).toMatchObject({ valid: true, value: CODE_DIGITS_W });
  });
});
