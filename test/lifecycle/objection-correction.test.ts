/** Which later version of a license corrects what an objection was about (pipelines/lifecycle/objections.ts). */
import { describe, expect, it } from 'vitest';
import type { License, LicenseOperation, LicenseStatus } from '../../catalog/license.js';
import { correctionOf, settlementOf, undoneBy } from '../../pipelines/lifecycle/objection-correction.js';

const base: License = {
  identifier: 'id.001',
  number: 'JY1',
  type: { name: '食品经营许可证', code: '11370200MB12345674001' },
  issuer: { name: '某局', code: '11370211MB12345672' },
  issueDate: '2021-01-01',
  validFrom: '2021-01-01',
  validTo: '2026-01-01',
  areaCode: '370211',
  holder: { name: 'h', idType: '001', id: '91370211MA3C000000' },
  status: 'valid',
  surface: { premises: '长江中路1号' },
};

const v = (
  version: number,
  operation: LicenseOperation,
  status: LicenseStatus,
  premises = '长江中路1号',
) => ({
  version,
  operation,
  status,
  payload: { ...base, identifier: `id.00${version}`, status, surface: { premises } },
});

describe('correctionOf', () => {
  it('a version that changes only the status corrects nothing', () => {
    for (const op of ['expire', 'suspend', 'revoke'] as const) {
      const status = op === 'expire' ? 'expired' : op === 'suspend' ? 'suspended' : 'revoked';
      expect(correctionOf(1, [v(1, 'issue', 'valid'), v(2, op, status)])).toBeUndefined();
    }
    expect(
      correctionOf(1, [v(1, 'issue', 'valid'), v(2, 'suspend', 'suspended'), v(3, 'resume', 'valid')]),
    ).toBeUndefined();
  });

  it('an update with other content corrects, whatever status changes come after it', () => {
    expect(correctionOf(1, [v(1, 'issue', 'valid'), v(2, 'update', 'valid', '更正')])).toBe(2);
    expect(
      correctionOf(1, [
        v(1, 'issue', 'valid'),
        v(2, 'update', 'valid', '更正'),
        v(3, 'expire', 'expired', '更正'),
      ]),
    ).toBe(2);
    expect(
      correctionOf(1, [v(1, 'issue', 'valid'), v(2, 'expire', 'expired'), v(3, 'update', 'expired', '更正')]),
    ).toBe(3);
  });

  it('a status change carrying other content is not a correction; an objected version or a taken-back correction neither', () => {
    expect(correctionOf(1, [v(1, 'issue', 'valid'), v(2, 'expire', 'expired', '更正')])).toBeUndefined();
    expect(correctionOf(2, [v(1, 'issue', 'valid'), v(2, 'update', 'valid', '更正')])).toBeUndefined();
    expect(
      correctionOf(1, [v(1, 'issue', 'valid'), v(2, 'update', 'valid', '更正'), v(3, 'update', 'valid')]),
    ).toBeUndefined();
  });
});

describe('settlementOf', () => {
  // A revocation or cancellation corrects no content (correctionOf), yet it settles the objection:
  // the license is ended at the platforms, as `status` already says of an undone correction.
  it('a license ended since is settled by the version that ended it', () => {
    for (const [op, status] of [
      ['revoke', 'revoked'],
      ['cancel', 'cancelled'],
    ] as const) {
      expect(settlementOf(1, [v(1, 'issue', 'valid'), v(2, op, status)])).toEqual({
        version: 2,
        ended: true,
      });
    }
    expect(
      settlementOf(1, [v(1, 'issue', 'valid'), v(2, 'expire', 'expired'), v(3, 'revoke', 'revoked')]),
    ).toEqual({ version: 3, ended: true });
  });

  it('a content correction comes first; an expiry, a suspension or an ending before the objection settle nothing', () => {
    expect(
      settlementOf(1, [
        v(1, 'issue', 'valid'),
        v(2, 'update', 'valid', '更正'),
        v(3, 'revoke', 'revoked', '更正'),
      ]),
    ).toEqual({ version: 2 });
    expect(settlementOf(1, [v(1, 'issue', 'valid'), v(2, 'expire', 'expired')])).toBeUndefined();
    expect(settlementOf(1, [v(1, 'issue', 'valid'), v(2, 'suspend', 'suspended')])).toBeUndefined();
    expect(settlementOf(2, [v(1, 'issue', 'valid'), v(2, 'revoke', 'revoked')])).toBeUndefined();
  });
});

describe('undoneBy', () => {
  it('a later version giving the objected content again takes the correction back', () => {
    const restored = [v(1, 'issue', 'valid'), v(2, 'update', 'valid', '更正'), v(3, 'update', 'valid')];
    expect(undoneBy(1, 2, restored)).toBe(3);
    // The tick expiring it afterwards keeps it undone, from the version that restored it.
    expect(undoneBy(1, 2, [...restored, v(4, 'expire', 'expired')])).toBe(3);
  });

  it('a correction still standing, or corrected again since, is not undone', () => {
    expect(undoneBy(1, 2, [v(1, 'issue', 'valid'), v(2, 'update', 'valid', '更正')])).toBeUndefined();
    expect(
      undoneBy(1, 2, [
        v(1, 'issue', 'valid'),
        v(2, 'update', 'valid', '更正'),
        v(3, 'update', 'valid'),
        v(4, 'update', 'valid', '再更正'),
      ]),
    ).toBeUndefined();
    expect(
      undoneBy(1, 2, [
        v(1, 'issue', 'valid'),
        v(2, 'update', 'valid', '更正'),
        v(3, 'expire', 'expired', '更正'),
      ]),
    ).toBeUndefined();
  });
});

describe('a corrupt stored text among the versions', () => {
  // A text that reads but cannot be hashed (`1e999` reads as Infinity) and one that does not read.
  const unhashable = (n: number, op: LicenseOperation) => ({
    ...v(n, op, 'valid'),
    payload: {
      ...v(n, op, 'valid').payload,
      surface: { premises: Number.POSITIVE_INFINITY },
    } as unknown as License,
  });
  const unreadable = (n: number, op: LicenseOperation) => ({
    ...v(n, op, 'valid'),
    get payload(): License {
      throw new Error('does not read');
    },
  });

  it('judges no correction where the objected or the latest text is corrupt, never throwing', () => {
    for (const corrupt of [unhashable, unreadable]) {
      expect(correctionOf(1, [corrupt(1, 'issue'), v(2, 'update', 'valid', '新地址')])).toBeUndefined();
      expect(correctionOf(1, [v(1, 'issue', 'valid'), corrupt(2, 'update')])).toBeUndefined();
      expect(settlementOf(1, [corrupt(1, 'issue'), v(2, 'update', 'valid', '新地址')])).toBeUndefined();
    }
  });

  it('passes over a corrupt correcting version for a sound one before it', () => {
    for (const corrupt of [unhashable, unreadable]) {
      const versions = [
        v(1, 'issue', 'valid'),
        v(2, 'update', 'valid', '新地址'),
        corrupt(3, 'update'),
        v(4, 'update', 'valid', '新地址'),
      ];
      expect(correctionOf(1, versions)).toBe(4);
      expect(
        correctionOf(1, [
          v(1, 'issue', 'valid'),
          v(2, 'update', 'valid', '新地址'),
          corrupt(3, 'update'),
          v(4, 'suspend', 'suspended', '新地址'),
        ]),
      ).toBe(2);
    }
  });

  it('judges a correction not undone where a text is corrupt, never throwing', () => {
    for (const corrupt of [unhashable, unreadable]) {
      expect(
        undoneBy(1, 2, [corrupt(1, 'issue'), v(2, 'update', 'valid', '新地址'), v(3, 'update', 'valid')]),
      ).toBeUndefined();
      expect(
        undoneBy(1, 2, [v(1, 'issue', 'valid'), v(2, 'update', 'valid', '新地址'), corrupt(3, 'update')]),
      ).toBeUndefined();
    }
  });
});
