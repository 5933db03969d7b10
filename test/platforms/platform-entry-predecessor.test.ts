/**
 * What a REST platform holds, read back for reconciliation: a record's `yzzbs` is the license it
 * continues (part of the license's content, so its hash) only when it names another license. In
 * the national push list a change (09) of a later version names the version it replaces, its own
 * license's earlier identifier: that is no predecessor, and the content hash must not take it in.
 */
import { describe, expect, it } from 'vitest';
import { fromPlatformEntry } from '../../adapters/platforms/rest-json/platform-entry.js';
import { NATIONAL_CODES, NATIONAL_PUSH_CODES } from '../../adapters/platforms/shared/code-lists.js';
import { toPlatformLicense } from '../../adapters/platforms/shared/platform-license.js';
import { contentHash } from '../../catalog/canonical.js';
import { identifierBuilder } from '../../catalog/identifier.js';
import type { License } from '../../catalog/license.js';

const ids = identifierBuilder('11370200MB12345674001', '11370211MB12345672');

function license(serial: string, version: number, extra: Partial<License> = {}): License {
  return {
    identifier: ids.identifier(serial, version),
    number: `JY2370211${serial.slice(-7)}`,
    type: { name: '食品经营许可证', code: '11370200MB12345674001' },
    issuer: { name: '青岛西海岸新区市场监督管理局', code: '11370211MB12345672' },
    issueDate: '2026-03-01',
    validFrom: '2026-03-01',
    validTo: '2031-02-28',
    areaCode: '370211',
    holder: { name: '青岛鑫盛超市', idType: '001', id: '91370211MA3C00000X' },
    status: 'valid',
    surface: { premises: '长江中路1号' },
    ...extra,
  };
}

const SERIAL = 'K4Y975IEPO1UZ9OZS7VD';
const OLD = 'K4Y975IE3GOU5NZGFQ4J';

describe('a platform record read back', () => {
  it('takes a yzzbs naming another license as the predecessor, inside the content hash', () => {
    const previous = ids.identifier(OLD, 2);
    const renewed = license(SERIAL, 1, { previousIdentifier: previous });
    const entry = {
      licenseId: ids.licenseId(SERIAL),
      version: 1,
      license: toPlatformLicense(renewed, 'renew', NATIONAL_CODES, 1),
    };
    expect(entry.license.yzzbs).toBe(previous);
    const record = fromPlatformEntry(entry, NATIONAL_CODES);
    expect(record?.license.previousIdentifier).toBe(previous);
    expect(record?.contentHash).toBe(contentHash(renewed));
    expect(record?.contentHash).not.toBe(contentHash(license(SERIAL, 1)));
  });

  it('leaves out a yzzbs naming an earlier version of the same license (a push-list change)', () => {
    const changed = license(SERIAL, 2);
    const entry = {
      licenseId: ids.licenseId(SERIAL),
      version: 2,
      license: toPlatformLicense(changed, 'update', NATIONAL_PUSH_CODES, 2),
    };
    // 09 names the version it replaces.
    expect(entry.license.yzzbs).toBe(ids.identifier(SERIAL, 1));
    const record = fromPlatformEntry(entry, NATIONAL_PUSH_CODES);
    expect(record?.license.previousIdentifier).toBeUndefined();
    expect(record?.contentHash).toBe(contentHash(changed));
  });

  it('has no predecessor when the record names none', () => {
    const issued = license(SERIAL, 1);
    const entry = {
      licenseId: ids.licenseId(SERIAL),
      version: 1,
      license: toPlatformLicense(issued, 'issue'),
    };
    expect(entry.license.yzzbs).toBeUndefined();
    expect(fromPlatformEntry(entry)?.license).not.toHaveProperty('previousIdentifier');
    expect(fromPlatformEntry(entry)?.contentHash).toBe(contentHash(issued));
  });
});
