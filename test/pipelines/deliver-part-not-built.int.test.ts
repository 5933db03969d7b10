/**
 * A license whose part of a request cannot be built (a fault of no known kind in the pure mapping
 * of its stored text into a batch item: adapters/platforms/shared/request-not-built.ts) failed the
 * whole call unsent, INTERNAL and final: the deliver worker then dead-lettered every open delivery
 * of the job, the others of the call too, each dead letter naming that one license. It is now that
 * license's own outcome, dead-lettered alone with its reason; the others are sent, and the fault,
 * its cause, is logged masked.
 */
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { RestJsonTarget } from '../../adapters/platforms/rest-json/rest-json-target.js';
import type { DeliveryItem } from '../../adapters/platforms/target.js';
import type { Ledger } from '../../ledger/ledger.js';
import { openLedger } from '../../ledger/open-ledger.js';
import { deliverVersions } from '../../pipelines/stages/deliver.js';
import { quietLogger, sqliteBackend, type TestDatabase } from '../ledger/backends.js';
import { candidates } from '../ledger/fixtures.js';
import { signedRuns } from '../ledger/signed-runs.js';
import { restConfig } from '../platforms/license-fixture.js';
import { startScriptedServer } from '../platforms/scripted-server.js';
import { lineLogger } from '../support/log-lines.js';

const faulty = vi.hoisted(() => ({ licenseId: '' }));
vi.mock('../../adapters/platforms/rest-json/batch-wire.js', async (original) => {
  const real = await original<typeof import('../../adapters/platforms/rest-json/batch-wire.js')>();
  return {
    ...real,
    toBatchItem: (item: DeliveryItem, ...rest: unknown[]) => {
      // The fault's text names the holder unquoted, as a mapping fault may (no shape tells a name),
      // and quotes the holder's ID and a phone-number-shaped value: no log line may show them.
      if (item.licenseId === faulty.licenseId)
        throw new TypeError(
          `mapping: holder ${item.license.holder.name}: unknown region (id ${item.license.holder.id}, tel 13912340001)`,
        );
      return (real.toBatchItem as (...a: unknown[]) => unknown)(item, ...rest);
    },
  };
});

const SEAL = 'seal-part-not-built';
const PIPELINE = 'part-not-built';

let db: TestDatabase;
let ledger: Ledger;
const commit = signedRuns(() => ledger, PIPELINE, SEAL);

beforeAll(async () => {
  db = await sqliteBackend.create();
  ledger = await openLedger(db.url, { logger: quietLogger });
});
afterAll(async () => {
  await ledger?.close();
  await db?.dispose();
});

describe("a license whose part of a request cannot be built, among a job's three", () => {
  it('is dead-lettered alone, named, its cause logged masked; the other two are accepted once', async () => {
    const platform = await startScriptedServer((_n, req) => {
      const { items } = JSON.parse(req.body) as { items: { key: string }[] };
      return {
        status: 200,
        body: { code: 0, results: items.map((i) => ({ key: i.key, status: 'accepted', platformId: 'p' })) },
      };
    });
    const target = new RestJsonTarget('province', restConfig(platform.url));
    const { logger, lines } = lineLogger('warn');
    try {
      const ids = await commit(candidates(1, 3, { pipeline: PIPELINE }));
      const keys = (await ledger.ensureDeliveries(ids, 'province')).map((r) => r.key);
      const [first, middle, last] = (await ledger.getVersions(ids)).map((v) => v.licenseId);
      faulty.licenseId = middle ?? '';

      const result = await deliverVersions(target, SEAL, ledger, ids, { logger });

      expect(result).toMatchObject({ accepted: 2, dead: 1, waiting: 0 });
      const rows = new Map((await ledger.getDeliveries(keys)).map((r) => [r.key.split(':')[0], r]));
      expect(rows.get(first ?? '')?.state).toBe('accepted');
      expect(rows.get(last ?? '')?.state).toBe('accepted');
      const bad = rows.get(middle ?? '');
      expect(bad?.state).toBe('dead');
      // The one attempt every dead letter counts, none past it: a replay sends it again unasked.
      expect(bad?.attempts).toBe(1);
      // Its dead letter names it and the request, not the fault, whose text may quote the license.
      // (The numbers in a reason are masked by shape as any stored reason's: the row names the license.)
      expect(bad?.reasons).toHaveLength(1);
      expect(bad?.reasons[0]).toMatch(
        /^target province: batch upload to http:\/\/127\.0\.0\.1:\d+ not sent: the batch item of license \S+part-not-built\S+ version 1 could not be built$/,
      );
      // The two others went once, in one request; the bad one never.
      const sent = platform.seen.flatMap((r) =>
        (JSON.parse(r.body) as { items: { key: string }[] }).items.map((i) => i.key.split(':')[0]),
      );
      expect(sent).toEqual([first, last]);
      // Its cause is logged, naming the license, its personal value masked.
      const line = lines.join('\n');
      expect(line).toContain('mapping: holder ***: unknown region');
      expect(lines.length, line).toBe(1);
      const logged = JSON.parse(lines[0] ?? '{}') as { target?: string; delivery?: string };
      expect(logged.target).toBe('province');
      expect(logged.delivery).toMatch(/part-not-built\S*:1:province$/);
      expect(line).not.toContain('13912340001');
      const holder = (await ledger.getVersions(ids)).find((v) => v.licenseId === middle)?.payload.holder;
      expect(holder?.name).toBe('经营者2');
      // Its holder named in the fault's words, unquoted, and its ID: no trace of either.
      expect(line).not.toContain('经营者');
      expect(line).not.toContain(holder?.id ?? '(no id)');
      expect(line).not.toContain('MA3C');
    } finally {
      await target.close();
      await platform.close();
    }
  });
});
