/**
 * createLicenseMapper on what a license carries over time: derived expiry (docs/lifecycle.md's
 * table), today in conditions, renewals, the holder contact and `continues`. Every mapper is made
 * inside its test.
 */
import { describe, expect, it } from 'vitest';
import { contentHash } from '../../catalog/canonical.js';
import { identifierBuilder } from '../../catalog/identifier.js';
import { compileMappingText } from '../../mappings/compile.js';
import { createLicenseMapper } from '../../mappings/license-mapper.js';
import { CATALOG, ISSUER, MAPPING_LINES, mapped, options, TYPE, values } from './stall-mapping.js';

describe('createLicenseMapper: derived expiry (docs/lifecycle.md)', () => {
  // [source status code, validTo column, today, expected status]
  const cases: [string, string | null, string, string][] = [
    ['1', '2026-03-14', '2026-03-15', 'expired'], // the day after validTo
    ['1', '2026-03-14', '2026-03-14', 'valid'], // validTo is the last valid day
    ['1', '2026-03-14', '2026-03-13', 'valid'],
    ['0', '2026-03-14', '2026-03-15', 'revoked'], // a stated status stands whatever the date
    ['2', '2026-03-14', '2030-01-01', 'suspended'],
    ['1', null, '2099-12-31', 'valid'], // long-term: never expires
  ];
  for (const [zt, validTo, today, status] of cases) {
    it(`maps status ${zt}, validTo ${validTo}, on ${today} as ${status}`, () => {
      const mapper = createLicenseMapper(options({ today: () => today }));
      const candidate = mapped(mapper({ key: 's-1', values: values({ ZT: zt, ZZ: validTo }) }, 'r'));
      expect(candidate.status).toBe(status);
      expect(candidate.build(1).status).toBe(status);
    });
  }

  it('leaves a past validTo valid when derived expiry is off (no today)', () => {
    const candidate = mapped(
      createLicenseMapper(options())(
        { key: 's-1', values: values({ ZZ: '2000-01-01', FZ: '1999-01-01' }) },
        'r',
      ),
    );
    expect(candidate.status).toBe('valid');
  });
});

describe('createLicenseMapper: today', () => {
  it('is the day conditions compare with, asked once per row', () => {
    let asked = 0;
    const mapper = createLicenseMapper(
      options({
        today: () => {
          asked += 1;
          return '2000-01-01';
        },
      }),
    );
    // The clock is years past 2000: only the pinned day keeps 2000-01-02 from being before today.
    const later = mapped(mapper({ key: 's-1', values: values({ KY: '2000-01-02' }) }, 'r'));
    const earlier = mapped(mapper({ key: 's-2', values: values({ KY: '1999-12-31' }) }, 'r'));
    expect(later.build(1).surface.stage).toBe('planned');
    expect(earlier.build(1).surface.stage).toBe('opened');
    expect(asked).toBe(2);
  });
});

describe('createLicenseMapper: renewals', () => {
  it('hands the ledger the predecessor the row names, as a renewal by default', () => {
    const mapper = createLicenseMapper(options());
    const renewal = mapped(mapper({ key: 's-1', values: values({ YZ: 'TF3702110000' }) }, 'r'));
    expect(renewal.predecessor).toStrictEqual({ number: 'TF3702110000' });
    expect(renewal.operation).toBe('renew');
    const change = mapped(mapper({ key: 's-1', values: values({ YZ: 'TF3702110000', CZ: 'change' }) }, 'r'));
    expect(change.operation).toBe('change');
    // Neither is part of the license.
    expect(change.build(1)).not.toHaveProperty('predecessor');
    expect(change.build(1)).not.toHaveProperty('operation');
  });

  it('names no predecessor for a new license', () => {
    const candidate = mapped(createLicenseMapper(options())({ key: 's-1', values: values() }, 'r'));
    expect(candidate.predecessor).toBeUndefined();
    expect(candidate.operation).toBeUndefined();
  });

  it('quarantines an operation without a predecessor, at the operation rule', () => {
    const result = createLicenseMapper(options())({ key: 's-1', values: values({ CZ: 'transfer' }) }, 'r');
    expect(result).toStrictEqual({
      ok: false,
      reasons: [
        {
          code: 'LB_PREDECESSOR_REQUIRED',
          message: expect.stringContaining('transfer'),
          path: 'operation',
          location: 'stall-map.yaml:18',
        },
      ],
    });
  });
});

describe('createLicenseMapper: the holder contact', () => {
  const contactMapping = () =>
    compileMappingText(
      [...MAPPING_LINES, '  contact.phone: { from: DH, transform: [trim] }'].join('\n'),
      'stall-map.yaml',
    );

  it('hands over the contact the row gives, and null when it gives none', () => {
    const mapper = createLicenseMapper(options({ mapping: contactMapping() }));
    const given = mapped(mapper({ key: 's-1', values: values({ DH: ' 13912345678 ' }) }, 'r'));
    expect(given.contact).toStrictEqual({ phone: '13912345678' });
    expect(JSON.stringify(given.build(1))).not.toContain('13912345678');
    const none = mapped(mapper({ key: 's-2', values: values({ DH: '  ' }) }, 'r'));
    expect(none.contact).toBeNull();
  });

  it('hands over no contact when the mapping has no contact rules', () => {
    const candidate = mapped(createLicenseMapper(options())({ key: 's-1', values: values() }, 'r'));
    expect(candidate.contact).toBeUndefined();
  });
});

describe('createLicenseMapper: continues', () => {
  it('carries the predecessor identifier in every version from then on, and rehashes', () => {
    const candidate = mapped(
      createLicenseMapper(options())({ key: 's-1', values: values({ YZ: 'TF3702110000' }) }, 'r'),
    );
    const before = candidate.contentHash;
    const previous = identifierBuilder(TYPE, ISSUER.code).identifier('OLD0000000000000001', 3);
    candidate.continues?.(previous);
    const v1 = candidate.build(1);
    expect(v1.previousIdentifier).toBe(previous);
    expect(candidate.build(2).previousIdentifier).toBe(previous);
    expect(CATALOG.validate(v1)).toEqual([]);
    expect(candidate.contentHash).not.toBe(before);
    expect(candidate.contentHash).toBe(contentHash(v1));
  });
});
