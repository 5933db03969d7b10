/**
 * Which paths hold personal data and how their values are shown, each rule alone. Masks are
 * worked by hand from core/mask.ts's documented rule: an id keeps its first and last four
 * characters, a name its first, a contact its last four.
 */
import { describe, expect, it } from 'vitest';
import {
  isLegalPersonIdType,
  isPersonalPath,
  isPersonalPathFor,
  maskPersonal,
  showValue,
} from '../../catalog/personal.js';

describe('isPersonalPath', () => {
  it('holder name and id, contact.*, and face fields named like a person or an ID', () => {
    for (const p of ['holder.name', 'holder.id', 'contact.phone', 'contact.x'])
      expect(isPersonalPath(p)).toBe(true);
    for (const p of ['holder.idType', 'holder', 'contacts.phone', 'number', 'issuer.name', 'xsurface.name'])
      expect(isPersonalPath(p)).toBe(false);
    for (const seg of [
      'legalRepresentative',
      'legalPerson',
      'principal',
      'operator',
      'contact',
      'responsiblePerson',
      'owner',
      'holder',
      'name',
      'idNumber',
      'idCard',
      'idNo',
      'residentId',
      'sfz',
      'id',
      'ID',
      'rep_id_2',
    ])
      expect(isPersonalPath(`surface.${seg}`), seg).toBe(true);
    // The name part must end the segment; other segments of the path count too.
    expect(isPersonalPath('surface.nameplate')).toBe(false);
    expect(isPersonalPath('surface.area')).toBe(false);
    expect(isPersonalPath('surface.staff.0.name')).toBe(true);
    expect(isPersonalPath('surface.owner.address')).toBe(true);
  });

  it("a legal person's holder name and id are not personal; its face fields naming people are", () => {
    expect(isLegalPersonIdType('001')).toBe(true);
    expect(isLegalPersonIdType('099')).toBe(true);
    expect(isLegalPersonIdType('111')).toBe(false);
    expect(isLegalPersonIdType(1)).toBe(false);
    expect(isLegalPersonIdType(undefined)).toBe(false);
    expect(isPersonalPathFor('holder.name', '001', '91370211MA3C7XY81Y')).toBe(false);
    expect(isPersonalPathFor('holder.id', '099', '91370211MA3C7XY81Y')).toBe(false);
    expect(isPersonalPathFor('holder.name', '111', '91370211MA3C7XY81Y')).toBe(true);
    expect(isPersonalPathFor('holder.id', undefined, '91370211MA3C7XY81Y')).toBe(true);
    expect(isPersonalPathFor('surface.legalRepresentative', '001', '91370211MA3C7XY81Y')).toBe(true);
    expect(isPersonalPathFor('contact.phone', '001', '91370211MA3C7XY81Y')).toBe(true);
    expect(isPersonalPathFor('surface.area', '111', '91370211MA3C7XY81Y')).toBe(false);
  });
});

describe('maskPersonal', () => {
  it('contacts keep their last four, names their first char, anything else first and last four', () => {
    expect(maskPersonal('contact.phone', '13800138000')).toBe('*******8000');
    expect(maskPersonal('holder.name', '张三丰')).toBe('张**');
    for (const field of [
      'legalRepresentative',
      'responsiblePerson',
      'operatorName',
      'owner',
      'principal',
      'contact',
    ])
      expect(maskPersonal(`surface.${field}`, '李四'), field).toBe('李*');
    // An id-like last segment is an id even when it also says name or person.
    expect(maskPersonal('surface.personId', '11010519491231002X')).toBe('1101**********002X');
    expect(maskPersonal('holder.id', '11010519491231002X')).toBe('1101**********002X');
    expect(maskPersonal('', '11010519491231002X')).toBe('1101**********002X');
  });
});

describe('showValue', () => {
  it('shows scalars as text, masks personal ones, leaves out objects and arrays', () => {
    expect(showValue('surface.area', 12.5)).toBe('12.5');
    expect(showValue('surface.ok', true)).toBe('true');
    expect(showValue('surface.big', 12n)).toBe('12');
    expect(showValue('surface.x', null)).toBe('null');
    expect(showValue('holder.name', null)).toBe('null');
    expect(showValue('surface.d', new Date(Date.UTC(2024, 0, 2)))).toBe('2024-01-02T00:00:00.000Z');
    expect(showValue('surface.d', new Date(Number.NaN))).toBe('Invalid Date');
    expect(showValue('surface.b', new Uint8Array(3))).toBe('<3 bytes>');
    expect(showValue('surface.o', { a: 1 })).toBeUndefined();
    expect(showValue('surface.a', [1])).toBeUndefined();
    expect(showValue('surface.u', undefined)).toBeUndefined();
    expect(showValue('holder.name', '张三丰')).toBe('张**');
    expect(showValue('holder.name', '张三丰', false)).toBe('张三丰');
    expect(showValue('surface.area', '张三丰', true)).toBe('***');
  });

  it('cuts a value past 64 chars, counting characters, not UTF-16 units', () => {
    expect(showValue('surface.t', 'a'.repeat(64))).toBe('a'.repeat(64));
    expect(showValue('surface.t', 'a'.repeat(65))).toBe(`${'a'.repeat(61)}... (65 chars)`);
    // 64 astral chars are 128 UTF-16 units: still 64 characters, shown whole.
    const astral = '\u{1d11e}'.repeat(64);
    expect(showValue('surface.t', astral)).toBe(astral);
    expect(showValue('surface.t', `${astral}x`)).toBe(`${'\u{1d11e}'.repeat(61)}... (65 chars)`);
  });
});
