/**
 * A platform with string-typed result fields answers an entry's `version` as its digits
 * (`"version": "2"`). Read only as a JSON number, every such entry of a lookup or a listing was
 * unreadable ('its version is not a number') and no license of the platform was compared. Digits
 * are now that version on both paths; a version in other characters (full-width digits) is still
 * unreadable, named by its field, never by the entry's content.
 */
import { describe, expect, it } from 'vitest';
import { contentHash } from '../../catalog/canonical.js';
import { sampleLicense } from './license-fixture.js';
import { listAll, restTargetAnswering } from './lookup-stand-in.js';
import { entry } from './version-shape-cases.js';

const targetAnswering = restTargetAnswering();

describe('an entry whose version is its digits as text', () => {
  it('lookup: "2" is version 2 and the license is compared', async () => {
    const { target } = await targetAnswering(() => ({
      status: 200,
      body: { code: 0, current: entry(1, '2') },
    }));
    const [record] = await target.lookup(['lic-000001']);
    expect(record?.unreadable).toBeUndefined();
    expect(record?.version).toBe(2);
    expect(record?.contentHash).toBe(contentHash(sampleLicense(1)));
  });

  it('list: "2" and "003" are read, full-width digits are unreadable with the field named', async () => {
    const { target } = await targetAnswering((_n, req) => {
      const after = new URL(req.url, 'http://x').searchParams.get('after') ?? '';
      const items = after === '' ? [entry(1, '2'), entry(2, '003'), entry(3, '２')] : [];
      return { status: 200, body: { code: 0, items } };
    });
    const listed = await listAll(target, 10);
    expect(listed.map((r) => [r.licenseId, r.version, r.unreadable?.reason ?? null])).toEqual([
      ['lic-000001', 2, null],
      ['lic-000002', 3, null],
      ['lic-000003', 0, 'its version is not a number'],
    ]);
    expect(listed[2]?.unreadable?.position).toBe(3);
  });
});
