/**
 * A 15-digit number is either a first-generation resident ID (GB 11643-1989: area, yymmdd birth
 * date, sequence) or an old business registration number, which organisations held before the
 * credit code (GB 32100) and which stock licences still carry. `holderIdType` called every such
 * number a resident ID: an organisation's licence got id type 111 and was quarantined as a person's
 * malformed ID. A 15-digit number is now a resident ID only when its birth date is a real day and
 * the listed types let the holder be a person; otherwise it is an organisation's document, 099.
 */
import { describe, expect, it } from 'vitest';
import { holderIdTypeOfShape } from '../../catalog/holder-id.js';
import { createTransformRegistry } from '../../mappings/transforms.js';
import type { MapValue, StepOutcome, TransformStep } from '../../mappings/types.js';

const registry = createTransformRegistry();
const step = (arg: unknown): TransformStep => {
  const s = registry.get('holderIdType')?.compile(arg);
  if (typeof s !== 'function') throw new Error(`holderIdType: ${JSON.stringify(s)}`);
  return s;
};
const value = (r: StepOutcome) => (r.ok ? r.value : `${r.code}: ${r.message}`);
const run = (arg: unknown, v: MapValue) => value(step(arg)(v));

// Digits 7-12 read as a birth date: 1900-00-12 and 1920-13-45 are no days; the last digit is the
// registration number's MOD 11,10 check digit (GB/T 17710).
const REGISTRATION_MONTH_00 = '370211000012341';
const REGISTRATION_MONTH_13 = '370211201345670';
// Born 1949-12-31: a first-generation resident ID's shape.
const RESIDENT_15 = '110105491231002';

describe('holderIdTypeOfShape: 15 digits', () => {
  it('with a real birth date, a resident ID; with an impossible one, an organisation document', () => {
    expect(holderIdTypeOfShape(RESIDENT_15)).toBe('111');
    expect(holderIdTypeOfShape(REGISTRATION_MONTH_00)).toBe('099');
    expect(holderIdTypeOfShape(REGISTRATION_MONTH_13)).toBe('099');
    expect(holderIdTypeOfShape('370211490229124')).toBe('099'); // 1949 had no 29 February
    expect(holderIdTypeOfShape('370211480229123')).toBe('111'); // 1948 had
  });

  it('never a resident ID when the holder is declared an organisation', () => {
    expect(holderIdTypeOfShape(RESIDENT_15, undefined, { organisation: true })).toBe('099');
    // 18-char values keep their shape's type.
    expect(holderIdTypeOfShape('91370406L24894136J', undefined, { organisation: true })).toBe('001');
  });
});

describe('holderIdType transform: 15 digits', () => {
  it('an organisation-only list reads a 15-digit number as a registration number (099)', () => {
    expect(run(['001', '099'], RESIDENT_15)).toBe('099');
    expect(run(['001', '099'], REGISTRATION_MONTH_00)).toBe('099');
    expect(run(['001', '099'], '91370406L24894136J')).toBe('001');
    // 001 alone: told that the value is a registration number, not that it is a person's ID.
    expect(run(['001'], RESIDENT_15)).toBe(
      'LB_MAP_HOLDER_ID_TYPE: holderIdType: the value has the shape of id type 099, not of 001',
    );
  });

  it('a list with persons calls a 15-digit number a resident ID only when its birth date is real', () => {
    expect(run(['001', '099', '111'], RESIDENT_15)).toBe('111');
    expect(run(['001', '099', '111'], REGISTRATION_MONTH_13)).toBe('099');
    expect(run(['001', '111'], REGISTRATION_MONTH_00)).toBe(
      'LB_MAP_HOLDER_ID_TYPE: holderIdType: the value has the shape of id type 099, not of 001 or 111',
    );
    expect(run(['111'], RESIDENT_15)).toBe('111');
  });
});
