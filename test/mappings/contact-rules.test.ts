/**
 * The mapping's `contact.*` section: a holder's phone and app user id reach the ledger beside the
 * license and never inside it (not in the license, not in its content hash, not in a preview's
 * fields), and a failing contact rule shows its value masked to the last four characters.
 */
import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { type Catalog, loadCatalog } from '../../catalog/catalog.js';
import { normalizePhone, toHolderContact } from '../../catalog/holder-contact.js';
import { maskContact } from '../../core/mask.js';
import { scrubPersonal } from '../../core/scrub.js';
import { compileMappingText } from '../../mappings/compile.js';
import { createLicenseMapper } from '../../mappings/license-mapper.js';
import { DEMO_CATALOG_DIR, DEMO_ISSUER, DEMO_TYPE } from '../catalog/fixtures.js';
import { DEMO_MAPPING_FILE, demoValues } from './fixtures.js';

const PHONE = '13912345678';
const demoText = readFileSync(DEMO_MAPPING_FILE, 'utf8');
const withContact = (rules: string) => `${demoText.trimEnd()}\n${rules}\n`;

let catalog: Catalog;
beforeAll(async () => {
  catalog = await loadCatalog(DEMO_CATALOG_DIR);
});

function mapperFor(text: string) {
  const mapping = compileMappingText(text, DEMO_MAPPING_FILE);
  return {
    mapping,
    mapper: createLicenseMapper({
      pipeline: 'food-business-licenses',
      sourceName: 'market-food',
      mapping,
      catalog,
      licenseType: DEMO_TYPE,
      issuer: DEMO_ISSUER,
      areaCode: '370211',
    }),
  };
}

describe('contact rules in a mapping', () => {
  it('hand the contact to the ledger beside the license, which stays as it was', () => {
    const plain = mapperFor(demoText).mapper({ key: '1', values: demoValues() }, 'r');
    const { mapping, mapper } = mapperFor(
      withContact('  contact.phone: { from: LXDH, transform: [trim] }\n  contact.appUserId: { from: APPID }'),
    );
    const result = mapper({ key: '1', values: { ...demoValues(), LXDH: ` ${PHONE} `, APPID: 'u-42' } }, 'r');
    if (!result.ok || !plain.ok) throw new Error('expected both rows to map');
    expect(result.candidate.contact).toEqual({ phone: PHONE, appUserId: 'u-42' });
    expect(plain.candidate.contact).toBeUndefined();
    // Same license, same content hash: a contact never makes a new version.
    expect(result.candidate.contentHash).toBe(plain.candidate.contentHash);
    expect(JSON.stringify(result.candidate.build(1))).not.toContain(PHONE);
    expect(JSON.stringify(result.candidate.build(1))).toBe(JSON.stringify(plain.candidate.build(1)));
    // The mapped fields a preview or a mapping test shows do not carry it either.
    const mapped = mapping.map({ ...demoValues(), LXDH: PHONE, APPID: 'u-42' });
    expect(mapped.ok && JSON.stringify(mapped.fields)).not.toContain(PHONE);
    expect(mapping.personalColumns).toEqual(expect.arrayContaining(['LXDH', 'APPID']));
  });

  it('give null when the row has no contact, so a stored one is removed', () => {
    const { mapper } = mapperFor(withContact('  contact.phone: { from: LXDH, transform: [trim] }'));
    const result = mapper({ key: '1', values: { ...demoValues(), LXDH: '   ' } }, 'r');
    expect(result.ok && result.candidate.contact).toBeNull();
  });

  it('mask a failing contact value to its last four characters', () => {
    const { mapping } = mapperFor(
      withContact('  contact.phone: { from: LXDH, transform: [trim, { date: [yyyyMMdd] }] }'),
    );
    const mapped = mapping.map({ ...demoValues(), LXDH: PHONE });
    if (mapped.ok) throw new Error('expected the date transform to fail on a phone number');
    const reason = mapped.reasons.find((r) => r.path === 'contact.phone');
    expect(reason?.value).toBe('*******5678');
    expect(JSON.stringify(mapped.reasons)).not.toContain(PHONE);
  });

  it('refuse an unknown contact field at compile time, naming the known ones', () => {
    expect(() => mapperFor(withContact('  contact.email: { from: EMAIL }'))).toThrow(
      /contact\.phone, contact\.appUserId/,
    );
  });
});

describe('contact values', () => {
  it.each([
    ['13912345678', '13912345678'],
    ['139-1234-5678', '13912345678'],
    ['(0532) 8888 1234', '053288881234'],
    ['+86 139 1234 5678', '+8613912345678'],
    ['1234', undefined],
    ['call me', undefined],
    ['1391234567812345678', undefined],
  ])('normalizePhone(%j) is %j', (raw, want) => {
    expect(normalizePhone(raw)).toBe(want);
  });

  it('keep only trimmed text fields', () => {
    expect(toHolderContact({ phone: ' 139 ', appUserId: '', other: 'x' })).toEqual({ phone: '139' });
    expect(toHolderContact({ phone: 13912345678 })).toEqual({ phone: '13912345678' });
    expect(toHolderContact({})).toBeNull();
    expect(toHolderContact(undefined)).toBeNull();
  });

  it('mask to the last four, and nothing of a short value', () => {
    expect(maskContact('13912345678')).toBe('*******5678');
    expect(maskContact('u-42')).toBe('****');
    expect(maskContact('wx-user-000042')).toBe('**********0042');
  });

  it('scrub text from outside of the contact it was about, and of anything that looks like a number', () => {
    const text =
      'target sms: reminder failed: HTTP 503 (13912345678), retry 139-1234-5678, id u-42, queue 12';
    expect(scrubPersonal(text, ['13912345678', 'u-42'], maskContact)).toBe(
      'target sms: reminder failed: HTTP 503 (*******5678), retry ***-****-5678, id ****, queue 12',
    );
    expect(scrubPersonal('code 1001 at 20260301120000', [], maskContact)).toBe('code 1001 at **********0000');
  });
});
