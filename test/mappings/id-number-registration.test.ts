/**
 * `idNumber` upgrades a first-generation resident ID (15 digits, digits 7-12 a birth date in the
 * 1900s) to 18 chars, and leaves any other 15-digit number as written. It upgraded every 15 digits:
 * in a mapping for companies and individual businesses alike, a business registration number
 * (工商注册号) got the century 19 and a check char inserted, holderIdType read the column as 099,
 * and the catalog, which checks a 099 id for being non-empty only, let a license through naming an
 * 18-digit number nobody was ever given.
 */
import { describe, expect, it } from 'vitest';
import { compileMappingText } from '../../mappings/compile.js';
import { createTransformRegistry } from '../../mappings/transforms.js';

const MAPPING = `fields:
  holder.id: { from: ZJHM, transform: [idNumber] }
  holder.idType: { from: ZJHM, transform: [{ holderIdType: ["001", "111", "099"] }] }
`;

// GS 15-2006: its last digit is the MOD 11,10 check; digits 7-12 (600012) are no yymmdd.
const REGISTRATION = '370211600012343';

function holder(id: string) {
  const r = compileMappingText(MAPPING, 'm.yaml').map({ ZJHM: id });
  if (!r.ok) throw new Error(r.reasons.map((x) => x.code).join(', '));
  return r.fields.holder;
}

describe('idNumber and 15-digit numbers', () => {
  it('a business registration number stays as written, beside its id type 099', () => {
    expect(holder(REGISTRATION)).toEqual({ id: REGISTRATION, idType: '099' });
    expect(
      holder(` ${REGISTRATION.replace(/[0-9]/g, (d) => String.fromCharCode(0xff10 + Number(d)))}`),
    ).toEqual({
      id: REGISTRATION,
      idType: '099',
    });
  });

  it('a first-generation resident ID is upgraded to 18 chars, beside 111', () => {
    expect(holder('110105491231002')).toEqual({ id: '11010519491231002X', idType: '111' });
    expect(holder('１１０１０５４９１２３１００２')).toEqual({ id: '11010519491231002X', idType: '111' });
  });

  it('the step alone: 15 digits with no birth date pass unchanged, 18 chars get their X', () => {
    const step = createTransformRegistry().get('idNumber')?.compile(undefined);
    if (typeof step !== 'function') throw new Error('expected a step');
    expect(step('110105491331002')).toEqual({ ok: true, value: '110105491331002' });
    expect(step(' 11010519491231002x ')).toEqual({ ok: true, value: '11010519491231002X' });
    expect(step(110105491231002)).toEqual({ ok: true, value: '11010519491231002X' });
  });
});
