/**
 * A license at version 999 whose row is deleted at the source cannot take its ending: the reconcile
 * repair quarantines it `LB_VERSION_LIMIT` (version-limit.ts quarantineUnended), once however many
 * repairs plan it. Once was kept per key and code alone: an open record of the same code about
 * something else — a page's (the row's change not written) or the lifecycle tick's (past its
 * validTo) — stood for it, so the repair wrote nothing and audited nothing, and the worklist kept
 * advising what no longer applies (wait for the row to read again: it is deleted) instead of what
 * to do (end the license at the platforms by hand). The repair's record is now written beside
 * them, and still once. On both backends.
 */

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { encodeKeyPosition } from '../../connectors/key-position.js';
import type { Ledger } from '../../ledger/ledger.js';
import { openLedger } from '../../ledger/open-ledger.js';
import { versionLimitRecord } from '../../ledger/version-limit.js';
import { BACKENDS, quietLogger, type TestDatabase } from './backends.js';
import { uniqueName } from './fixtures.js';

const LICENSE = '1.2.156.3005.2.11370200MB1234567X001.11370211MB1234567X.YYYY';

describe.each(BACKENDS)(
  "a repair's record of a license at 999 beside another record of its key ($name)",
  (backend) => {
    let database: TestDatabase;
    let ledger: Ledger;

    beforeAll(async () => {
      database = await backend.create();
      ledger = await openLedger(database.url, { logger: quietLogger });
    });
    afterAll(async () => {
      await ledger?.close();
      await database?.dispose();
    });

    async function repair(pipeline: string, sourceKey: string): Promise<string> {
      const runId = uniqueName('repair');
      await ledger.startRun({ runId, pipeline, mode: 'full' });
      await ledger.appendRepairVersions({
        pipeline,
        runId,
        actor: 'operator:test',
        versions: [],
        unended: [{ licenseId: LICENSE, sourceKey, status: 'cancelled' }],
      });
      return runId;
    }

    it("is written beside a page's record of the row's change, and once", async () => {
      const pipeline = uniqueName('p');
      const key = `${pipeline}-row`;
      const runId = uniqueName('run');
      await ledger.startRun({ runId, pipeline, mode: 'incremental' });
      await ledger.commitPage({
        pipeline,
        runId,
        checkpoint: encodeKeyPosition({ cursor: null, key: 'a' }),
        rowsRead: 1,
        candidates: [],
        quarantined: [versionLimitRecord(key, LICENSE)],
      });
      const first = await repair(pipeline, key);
      await repair(pipeline, key);

      const [entry] = await ledger.openQuarantine({ pipeline });
      expect(entry?.timesSeen).toBe(2);
      expect(entry?.lastRunId).toBe(first);
      const quarantined = (await ledger.readAudit({ limit: 100_000 })).filter(
        (e) => e.action === 'quarantine' && e.detail.includes(`"pipeline":"${pipeline}"`),
      );
      expect(quarantined.map((e) => JSON.parse(e.detail).runId)).toEqual([first]);
      const history = await ledger.quarantineHistory({ pipeline, sourceKey: key });
      expect(history.flatMap((r) => r.reasons.map((x) => x.message)).join('\n')).toContain(
        'deleted at the source, could not be cancelled by the reconcile repair',
      );
    });
  },
);
