/**
 * The platform entry the version tests answer with, and the two cases they share: a listing names
 * each version's shape in order, and a lookup of each version that is none names its shape.
 */
import { expect, it } from 'vitest';
import { toPlatformLicense } from '../../adapters/platforms/shared/platform-license.js';
import { sampleLicense } from './license-fixture.js';
import { listAll, type restTargetAnswering } from './lookup-stand-in.js';

/** The platform's entry of license `n` with `version` as given. */
export const entry = (n: number, version: unknown) => ({
  licenseId: `lic-${String(n).padStart(6, '0')}`,
  version,
  platformId: `P${n}`,
  license: toPlatformLicense(sampleLicense(n), 'issue'),
});

/**
 * Declares, inside the caller's `describe`, a listing case titled `listTitle` (every version of
 * `shapes` in one page, read in chunks of `chunkSize`, each named by its reason, or read where the
 * reason is null) and a lookup case for each version whose reason is not null.
 */
export function itNamesEachShape(
  targetAnswering: ReturnType<typeof restTargetAnswering>,
  shapes: [unknown, string | null][],
  listTitle: string,
  chunkSize: number,
): void {
  it(listTitle, async () => {
    const { target } = await targetAnswering((_n, req) => {
      const after = new URL(req.url, 'http://x').searchParams.get('after') ?? '';
      const items = after === '' ? shapes.map(([v], i) => entry(i + 1, v)) : [];
      return { status: 200, body: { code: 0, items } };
    });
    const listed = await listAll(target, chunkSize);
    expect(listed.map((r) => r.unreadable?.reason ?? null)).toEqual(shapes.map(([, reason]) => reason));
  });

  it.each(shapes.filter(([, reason]) => reason !== null))(
    'lookup: %j is unreadable, %s',
    async (v, reason) => {
      const { target } = await targetAnswering(() => ({
        status: 200,
        body: { code: 0, current: entry(1, v) },
      }));
      const [record] = await target.lookup(['lic-000001']);
      expect(record?.unreadable?.reason).toBe(reason);
    },
  );
}
