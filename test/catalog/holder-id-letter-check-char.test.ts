/**
 * A resident ID number whose last char was mistyped as a letter other than X (17 digits and `Y`)
 * fails GB 11643, and also fails GB 32100 unless its letter happens to be the credit code's check
 * char. It was typed `001` by its GB 32100 shape (17 digits and a letter of that alphabet), so the
 * holder read as an organisation and its name was shown in clear where a person's is masked. 17
 * digits and a letter are a credit code only when its check char is right; otherwise `111`,
 * masked, unless the mapping declares the holders organisations.
 */
import { describe, expect, it } from 'vitest';
import { checkHolderId, holderIdTypeOfShape } from '../../catalog/holder-id.js';
import { isPersonalPathFor } from '../../catalog/personal.js';
import { createTransformRegistry } from '../../mappings/transforms.js';
import type { MapValue, TransformStep } from '../../mappings/types.js';
import { masked } from '../../pipelines/preview.js';

// 11010519491231002X, its check char typed Y: no valid credit code either.
const PERSON_Y = '11010519491231002Y';
// A valid credit code of 17 digits and a letter (GB 32100 vector), and the same with a wrong check char.
const CODE_DIGITS_W = '11100000000013338W';
const CODE_DIGITS_WRONG = '11100000000013338Y';

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

describe('17 digits and a letter other than X', () => {
  it('is a resident ID (111) unless it passes GB 32100', () => {
    expect(checkHolderId('001', PERSON_Y)?.code).toBe('LB_HOLDER_ID_CHECK');
    expect(holderIdTypeOfShape(PERSON_Y)).toBe('111');
    expect(holderIdTypeOfShape(CODE_DIGITS_WRONG)).toBe('111');
    expect(holderIdTypeOfShape(CODE_DIGITS_W)).toBe('001');
    expect(run(['001', '111'], PERSON_Y)).toBe('111');
    expect(run(['001', '111'], '１１０１０５１９４９１２３１００２ｙ')).toBe('111');
    expect(run(['001', '111'], CODE_DIGITS_W)).toBe('001');
  });

  it('the holder named so is masked, name and id', () => {
    const type = run(['001', '111'], PERSON_Y);
    for (const path of ['holder.id', 'holder.name'])
      expect(isPersonalPathFor(path, type, PERSON_Y), path).toBe(true);
    const holder = { idType: type, id: PERSON_Y };
    expect(masked('holder.name', '张三丰', false, holder, false)).toBe('张**');
    expect(masked('holder.id', PERSON_Y, false, holder, false)).not.toContain('19491231');
  });

  it('holders declared organisations: a credit code whose check char is wrong, 001', () => {
    expect(holderIdTypeOfShape(CODE_DIGITS_WRONG, undefined, { organisation: true })).toBe('001');
    expect(run(['001', '099'], CODE_DIGITS_WRONG)).toBe('001');
    expect(checkHolderId('001', CODE_DIGITS_WRONG)?.code).toBe('LB_HOLDER_ID_CHECK');
  });
});
