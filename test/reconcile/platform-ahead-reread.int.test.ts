/**
 * The platform check reads again the licenses a platform holds in a later version than the ledger
 * page it walked: a run may have committed and delivered that version since the page was read. It
 * read the ledger once per such license; a platform ahead on many (a run delivering while the
 * check walks) cost as many queries. They are now read again a page of the walk at a time, in one
 * query, and the check still tells a version committed meanwhile from one licbridge never sent.
 */
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PlatformRecord, TargetAdapter } from '../../adapters/platforms/target.js';
import type { Ledger } from '../../ledger/ledger.js';
import { openLedger } from '../../ledger/open-ledger.js';
import { checkPlatform } from '../../pipelines/reconcile/platform-side.js';
import { BACKENDS, quietLogger, type TestDatabase } from '../ledger/backends.js';
import { meanwhile } from '../support/meanwhile.js';
import { commitLicenses, ids, PREFIX } from './committed-licenses.js';

/** `ledger` counting the calls of each method by name. */
function counting(ledger: Ledger): { ledger: Ledger; calls: Map<string, number> } {
  const calls = new Map<string, number>();
  const counted = new Proxy(ledger, {
    get(t, p) {
      const v: unknown = Reflect.get(t, p, t);
      if (typeof v !== 'function') return v;
      return (...args: unknown[]) => {
        calls.set(String(p), (calls.get(String(p)) ?? 0) + 1);
        return v.apply(t, args);
      };
    },
  });
  return { ledger: counted, calls };
}

const held = (serial: string, version: number): PlatformRecord => ({
  licenseId: ids.licenseId(serial),
  identifier: ids.identifier(serial, version),
  version,
  status: 'valid',
  platformId: `P-${serial}`,
});

function adapterOf(how: 'list' | 'lookup', records: PlatformRecord[]): TargetAdapter {
  const sorted = [...records].sort((a, b) => (a.licenseId < b.licenseId ? -1 : 1));
  return (how === 'list'
    ? {
        name: 'province',
        async *list() {
          yield sorted;
        },
      }
    : {
        name: 'province',
        async lookup(asked: readonly string[]) {
          return sorted.filter((r) => asked.includes(r.licenseId));
        },
      }) as unknown as TargetAdapter;
}

describe.each(BACKENDS)('a platform ahead of the walked ledger page ($name)', (backend) => {
  let database: TestDatabase;
  let ledger: Ledger;
  const tag = randomBytes(3).toString('hex').toUpperCase();

  beforeAll(async () => {
    database = await backend.create();
    ledger = await openLedger(database.url, { logger: quietLogger });
  });
  afterAll(async () => {
    await ledger?.close();
    await database?.dispose();
  });

  it.each([
    ['list', 100, 1, 1],
    ['lookup', 100, 1, 1],
    ['list', 4, 2, 2],
    ['lookup', 4, 2, 2],
  ] as const)(
    'read by its %s, pages of %i: the licenses it is ahead on are read again in %i queries',
    async (how, pageSize, pages, rereads) => {
      const pipeline = `ahead-${how}-${pageSize}-${tag.toLowerCase()}`;
      const serials = ['A', 'B', 'C', 'D', 'E', 'F'].map(
        (s) => `AH${how === 'list' ? 'L' : 'K'}${pageSize}${tag}0${s}`,
      );
      await commitLicenses(ledger, pipeline, serials);
      const [a, b, c, d, e, f] = serials as [string, string, string, string, string, string];
      // The platform holds version 2 of A, C and E; a run commits (and delivers) version 2 of A and C
      // once the check has read the ledger's first page. E's version 2 licbridge never sent.
      const walked = meanwhile(ledger, 'licensesAtTarget', () => commitLicenses(ledger, pipeline, [a, c], 2));
      const { ledger: counted, calls } = counting(walked);
      const check = await checkPlatform({
        ledger: counted,
        pipeline,
        adapter: adapterOf(how, [held(a, 2), held(b, 1), held(c, 2), held(d, 1), held(e, 2), held(f, 1)]),
        licensePrefix: PREFIX,
        pageSize,
      });
      expect(
        check.differences.map((x) => [x.kind, x.licenseId, x.ledger?.version, x.platform?.version]),
      ).toEqual([['platform-content-mismatch', ids.licenseId(e), 1, 2]]);
      expect(check.counts.total).toBe(6);
      expect(calls.get('licensesAtTarget')).toBe(pages);
      expect(calls.get('licensesAtTargetByIds')).toBe(rereads);
    },
  );
});
