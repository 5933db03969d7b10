/**
 * An entry whose version is no version was unreadable 'its version is not a number' whatever it
 * held, a fraction or zero too, which are numbers: the reader of the report could not tell a
 * platform numbering from 0 from one answering text. The reason now names the version's shape (a
 * fraction, a negative number, zero, a number too large to hold exactly), never its value, on the
 * listing and the lookup path alike.
 */
import { describe, expect, it } from 'vitest';
import { toPlatformLicense } from '../../adapters/platforms/shared/platform-license.js';
import { sampleLicense } from './license-fixture.js';
import { listAll, restTargetAnswering } from './lookup-stand-in.js';

const targetAnswering = restTargetAnswering();

/** The platform's entry of license `n` with `version` as given. */
const entry = (n: number, version: unknown) => ({
  licenseId: `lic-${String(n).padStart(6, '0')}`,
  version,
  platformId: `P${n}`,
  license: toPlatformLicense(sampleLicense(n), 'issue'),
});

const SHAPES: [unknown, string | null][] = [
  [2, null],
  [2.5, 'its version is a fraction'],
  [-1, 'its version is a negative number'],
  [-2.5, 'its version is a negative number'],
  [0, 'its version is zero'],
  ['000', 'its version is zero'],
  [2 ** 53, 'its version is a number too large to hold exactly'],
  ['99999999999999999999', 'its version is a number too large to hold exactly'],
  ['one', 'its version is not a number'],
  [true, 'its version is not a number'],
];

describe('an entry whose version is no whole number from 1', () => {
  it('list: unreadable, the reason naming the shape of its version', async () => {
    const { target } = await targetAnswering((_n, req) => {
      const after = new URL(req.url, 'http://x').searchParams.get('after') ?? '';
      const items = after === '' ? SHAPES.map(([v], i) => entry(i + 1, v)) : [];
      return { status: 200, body: { code: 0, items } };
    });
    const listed = await listAll(target, 20);
    expect(listed.map((r) => r.unreadable?.reason ?? null)).toEqual(SHAPES.map(([, reason]) => reason));
  });

  it.each(SHAPES.filter(([, reason]) => reason !== null))(
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
});
