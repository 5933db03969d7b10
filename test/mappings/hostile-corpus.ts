/**
 * A corpus of hostile legacy rows for a natural-person license type: each row must end as exactly
 * one quarantine record carrying the expected code, and nothing may throw. Used by the pure test
 * (hostile-rows.test.ts) and by a real pipeline run over SQLite (hostile-run.int.test.ts).
 */
import { residentIdCheckChar } from '../../catalog/holder-id.js';
import type { InputValue } from '../../mappings/types.js';

export const HOSTILE_TYPE = '11100000000013338W077';
export const HOSTILE_ISSUER = { name: '青岛西海岸新区卫生健康局', code: '11220000013544541J' };

export const HOSTILE_ENTRY = `code: ${HOSTILE_TYPE}
name: 从业人员健康证明
defineAuthority: { name: 国家卫生健康委员会, code: 11100000000013338W }
holderCategory: natural-person
defineLevel: national
issuerLevel: county
surface:
  type: object
  additionalProperties: false
  required: [employer, employerCode]
  properties:
    employer: { type: string, minLength: 1, maxLength: 128 }
    employerCode: { type: string, holderIdType: "001" }
`;

export const HOSTILE_MAPPING = `personal: [XM, SFZH]
fields:
  number: { from: ZH, transform: [trim], required: true }
  holder.name: { from: XM, transform: [trim], required: true }
  holder.idType: { const: "111" }
  holder.id: { from: SFZH, transform: [idNumber], required: true }
  issueDate: { from: FZRQ, transform: [{ date: [yyyyMMdd] }], required: true }
  validFrom: { from: FZRQ, transform: [{ date: [yyyyMMdd] }], required: true }
  validTo: { from: YXQZ, transform: [{ date: [yyyyMMdd] }] }
  status: { from: ZT, lookup: { "1": valid, "0": revoked }, required: true }
  surface.employer: { from: DW, transform: [trim], required: true }
  surface.employerCode: { from: DWDM, transform: [trim, upper], required: true }
`;

export const HOSTILE_COLUMNS = ['ID', 'ZH', 'XM', 'SFZH', 'FZRQ', 'YXQZ', 'ZT', 'DW', 'DWDM'] as const;

const first17 = '11010519491231002';
export const GOOD_ID = `${first17}${residentIdCheckChar(first17)}`;

export function goodRow(id: number): Record<string, InputValue> {
  return {
    ID: id,
    ZH: `JK${String(id).padStart(8, '0')}`,
    XM: '李四',
    SFZH: GOOD_ID.toLowerCase(),
    FZRQ: '20240105',
    YXQZ: '20250104',
    ZT: '1',
    DW: '青岛海滨食品有限公司',
    DWDM: '91370406L24894136J',
  };
}

export interface HostileCase {
  what: string;
  values: Record<string, InputValue>;
  /** Every reason of the row's one quarantine record has this code. */
  code: string;
}

const nulls = Object.fromEntries(HOSTILE_COLUMNS.filter((c) => c !== 'ID').map((c) => [c, null]));

/** Hostile rows, keyed 1001… so they sort after the good rows. */
export function hostileCases(): HostileCase[] {
  const cases: [string, Record<string, InputValue>, string][] = [
    ['nulls everywhere', nulls, 'LB_MAP_REQUIRED'],
    ['binary data in the name column', { XM: new Uint8Array([0xd5, 0xc5, 0xc8, 0xfd]) }, 'LB_MAP_TYPE'],
    ['Feb 30', { YXQZ: '20230230' }, 'LB_MAP_DATE'],
    ['year 0000', { YXQZ: '00001231' }, 'LB_MAP_DATE'],
    ['a 1 MB string', { DW: '青'.repeat(1024 * 1024) }, 'LB_MAP_TOO_LONG'],
    ['a control character', { XM: '李\u0007四' }, 'LB_MAP_CONTROL_CHAR'],
    ['an emoji', { DW: '青岛🍜餐饮有限公司' }, 'LB_MAP_CHARSET'],
    ['GBK mojibake', { XM: 'ÕÅÈý' }, 'LB_MAP_ENCODING'],
    [
      'an ID number with a wrong check digit',
      { SFZH: `${first17}${GOOD_ID.endsWith('0') ? '1' : '0'}` },
      'LB_HOLDER_ID_CHECK',
    ],
    ['an ID number with Feb 30 as birth date', { SFZH: '110105202302300019' }, 'LB_HOLDER_ID_DATE'],
    ['a credit code with a forbidden letter', { DWDM: '91370406I24894136J' }, 'LB_SCHEMA_HOLDER_ID'],
    ['an unknown status code', { ZT: '7' }, 'LB_MAP_LOOKUP'],
  ];
  return cases.map(([what, overrides, code], i) => ({
    what,
    values: { ...goodRow(1001 + i), ...overrides },
    code,
  }));
}
