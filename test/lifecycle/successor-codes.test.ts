/**
 * Renewals, changes and transfers on the wire: the national push coding as a selectable list,
 * the predecessor field (`yzzbs`) where the list requires it, and the province simulator's check.
 */
import { describe, expect, it } from 'vitest';
import { toBatchItem } from '../../adapters/platforms/rest-json/batch-wire.js';
import { codeListsFor } from '../../adapters/platforms/shared/code-lists.js';
import { PayloadError, toPlatformLicense } from '../../adapters/platforms/shared/platform-license.js';
import { checkItem } from '../../adapters/simulators/province/item-check.js';
import { identifierBuilder } from '../../catalog/identifier.js';
import type { License, LicenseOperation } from '../../catalog/license.js';
import { operationFor } from '../../ledger/commit-page.js';

const ids = identifierBuilder('11370200MB12345674001', '11370211MB12345672');
const OLD = ids.identifier('OLD0000000000000001', 2);

function license(version: number, previousIdentifier?: string): License {
  return {
    identifier: ids.identifier('NEW0000000000000001', version),
    number: 'JY23702110000001',
    type: { name: '食品经营许可证', code: '11370200MB12345674001' },
    issuer: { name: '青岛西海岸新区市场监督管理局', code: '11370211MB12345672' },
    issueDate: '2026-01-05',
    validFrom: '2026-01-05',
    validTo: '2031-01-04',
    areaCode: '370211',
    holder: { name: '某某餐饮有限公司', idType: '001', id: '91370211MA3C000000' },
    status: 'valid',
    surface: {},
    ...(previousIdentifier ? { previousIdentifier } : {}),
  };
}

// The push coding as the issue of the national list writes it, one line per code.
const PUSH: Record<LicenseOperation, string> = {
  issue: '01',
  renew: '02',
  suspend: '03',
  expire: '04',
  cancel: '05',
  revoke: '05',
  resume: '06',
  transfer: '08',
  'transfer-out': '05',
  change: '09',
  update: '09',
};

describe('the national push coding', () => {
  const push = codeListsFor({ list: 'national-push' });

  it('codes every canonical operation as the push list does', () => {
    for (const [op, code] of Object.entries(PUSH)) expect(push.operation[op]).toBe(code);
  });

  it('is overridable entry by entry like the default list', () => {
    expect(codeListsFor({ list: 'national-push', operation: { revoke: '07' } }).operation.revoke).toBe('07');
    expect(codeListsFor({ list: 'national-push', operation: { revoke: '07' } }).operation.cancel).toBe('05');
  });

  it('sends a renewal as 02 naming the license it continues', () => {
    const wire = toPlatformLicense(license(1, OLD), 'renew', push, 1);
    expect(wire.czlx).toBe('02');
    expect(wire.yzzbs).toBe(OLD);
  });

  it('sends a content update as a change (09) naming the version it replaces', () => {
    const wire = toPlatformLicense(license(3), 'update', push, 3);
    expect(wire.czlx).toBe('09');
    expect(wire.yzzbs).toBe(ids.identifier('NEW0000000000000001', 2));
  });

  it('refuses a renewal or transfer-in that names no predecessor', () => {
    expect(() => toPlatformLicense(license(1), 'renew', push, 1)).toThrow(PayloadError);
    expect(() => toPlatformLicense(license(1), 'transfer', push, 1)).toThrow(PayloadError);
  });
});

describe('a license moved out', () => {
  it('is a transfer-out: 05 in the push list; other (07) with status 06 in the national collection', () => {
    expect(operationFor('valid', 'moved-out')).toBe('transfer-out');
    const moved = { ...license(2), status: 'moved-out' as const };
    expect(
      toPlatformLicense(moved, 'transfer-out', codeListsFor({ list: 'national-push' }), 2),
    ).toMatchObject({
      czlx: '05',
      zzzt: '06',
    });
    expect(toPlatformLicense(moved, 'transfer-out', codeListsFor(), 2)).toMatchObject({
      czlx: '07',
      zzzt: '06',
    });
  });
});

describe('the national collection (default list)', () => {
  const codes = codeListsFor();

  it('codes renew, change and transfer as 02, 09 and 08', () => {
    expect([codes.operation.renew, codes.operation.change, codes.operation.transfer]).toEqual([
      '02',
      '09',
      '08',
    ]);
  });

  it('leaves plain updates as they were: no predecessor field', () => {
    expect(toPlatformLicense(license(2), 'update', codes, 2).yzzbs).toBeUndefined();
  });
});

describe('the province simulator’s record check', () => {
  const item = (op: LicenseOperation, l: License, codes = codeListsFor({ list: 'national-push' })) =>
    toBatchItem(
      {
        key: `${ids.licenseId('NEW0000000000000001')}:1:province`,
        licenseId: ids.licenseId('NEW0000000000000001'),
        version: 1,
        operation: op,
        license: l,
        signature: { algorithm: 'SM2-SM3', value: 'c2ln', digest: 'ab', sealId: 's' },
      },
      codes,
    );

  it('accepts a renewal with its predecessor', () => {
    expect(checkItem(item('renew', license(1, OLD)), 0).errors).toEqual([]);
  });

  it('rejects a renewal or move-in without one, and a predecessor that is not an identifier', () => {
    const renewal = item('renew', license(1, OLD));
    const { yzzbs: _drop, ...bare } = renewal.license;
    expect(checkItem({ ...renewal, license: bare }, 0).errors).toEqual([
      'yzzbs: required for operation 02 (previous identifier)',
    ]);
    expect(checkItem({ ...renewal, operation: '08', license: bare }, 0).errors).toHaveLength(1);
    expect(checkItem({ ...renewal, license: { ...bare, yzzbs: 'JY-OLD-1' } }, 0).errors).toEqual([
      'yzzbs: not a GB/T 36904 license identifier (previous identifier)',
    ]);
  });

  it('accepts a plain update (09) of the national collection without a predecessor', () => {
    const update = item('update', license(1), codeListsFor());
    expect(update.license.yzzbs).toBeUndefined();
    expect(checkItem(update, 0).errors).toEqual([]);
  });
});
