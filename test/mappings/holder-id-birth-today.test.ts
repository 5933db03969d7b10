/**
 * "Born in the future" (GB 11643 birth date after today) is judged on the day the row is mapped
 * on: a mapping test's or LICBRIDGE_TODAY's pinned day, or today in the configured zone
 * (`lifecycle.timeZone`), as conditions and derived expiry take it — not the machine's clock in
 * China Standard Time. A person's id and a face field checked as one (`holderIdType: "111"`) alike.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { buildCatalog } from '../../catalog/catalog.js';
import { residentIdCheckChar } from '../../catalog/holder-id.js';
import { compileMappingText } from '../../mappings/compile.js';
import { createLicenseMapper, type LicenseMapperOptions } from '../../mappings/license-mapper.js';

const TYPE = '11100000000013338W011';
const ENTRY = [
  `code: ${TYPE}`,
  'name: 个人执业证',
  'defineAuthority: { name: 某部委, code: 11100000000013338W }',
  'holderCategory: natural-person',
  'surface:',
  '  type: object',
  '  additionalProperties: false',
  '  properties: { guardianId: { type: string, holderIdType: "111" } }',
].join('\n');
const MAPPING = [
  'fields:',
  '  number: { from: ZH }',
  '  holder.name: { from: XM }',
  '  holder.idType: { const: "111" }',
  '  holder.id: { from: SFZH }',
  '  issueDate: { from: FZRQ, transform: [{ date: [yyyy-MM-dd] }] }',
  '  validFrom: { from: FZRQ, transform: [{ date: [yyyy-MM-dd] }] }',
  '  validTo: { const: null }',
  '  status: { const: valid }',
  '  surface.guardianId: { from: JHR }',
].join('\n');

/** A resident id of someone born on `yyyymmdd`, with its right check char. */
const bornOn = (yyyymmdd: string): string => {
  const first17 = `110105${yyyymmdd}002`;
  return first17 + residentIdCheckChar(first17);
};

function mapper(extra: Partial<LicenseMapperOptions>) {
  return createLicenseMapper({
    pipeline: 'persons',
    sourceName: 's',
    mapping: compileMappingText(MAPPING, 'person.yaml'),
    catalog: buildCatalog([{ file: 'person-entry.yaml', text: ENTRY }]),
    licenseType: TYPE,
    issuer: { name: '某局', code: '11220000013544541J' },
    areaCode: '110105',
    ...extra,
  });
}

const row = (holder: string, guardian = bornOn('19491231')) => ({
  key: 'a',
  values: { ZH: 'ZY001', XM: '李四', SFZH: holder, FZRQ: '2019-01-02', JHR: guardian },
});

const codes = (r: ReturnType<ReturnType<typeof mapper>>) => (r.ok ? [] : r.reasons.map((x) => x.code));

afterEach(() => {
  vi.useRealTimers();
});

describe('a resident id born after the day the row is mapped on', () => {
  it('is refused on a pinned day before the birth date', () => {
    const m = mapper({ today: () => '2020-01-01' });
    expect(codes(m(row(bornOn('20200601')), 'r'))).toEqual(['LB_HOLDER_ID_DATE']);
  });

  it('passes on a pinned day that is its birth date', () => {
    const m = mapper({ today: () => '2020-06-01' });
    expect(codes(m(row(bornOn('20200601')), 'r'))).toEqual([]);
  });

  it('is refused in a face field checked as a resident id, on the pinned day', () => {
    const m = mapper({ today: () => '2020-01-01' });
    expect(codes(m(row(bornOn('19491231'), bornOn('20200601')), 'r'))).toEqual(['LB_SCHEMA_HOLDER_ID']);
  });

  it('passes when born today in the configured zone, already tomorrow in China Standard Time', () => {
    // 2024-03-01 20:00 in Shanghai is 2024-03-02 02:00 on Kiritimati (UTC+14).
    vi.useFakeTimers({ now: new Date('2024-03-01T12:00:00Z'), toFake: ['Date'] });
    const m = mapper({ timeZone: 'Pacific/Kiritimati' });
    expect(codes(m(row(bornOn('20240302'), bornOn('20240302')), 'r'))).toEqual([]);
  });
});
