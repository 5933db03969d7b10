/**
 * The ledger's record of a version a sign or deliver job could not sign or send, its stored text
 * corrupt (ledger/stored-text-quarantine.ts), on both ledgers: one LB_STORED_TEXT record under the
 * license's source key in the job's run, naming license id and version, one `quarantine` audit
 * entry, and none more when a later job meets the same version while the record is open. The run's
 * `quarantined_count` counts rows read, so it stays as it was.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Ledger } from '../../ledger/ledger.js';
import { openLedger } from '../../ledger/open-ledger.js';
import { BACKENDS, quietLogger, type TestDatabase } from './backends.js';
import { candidates, commitOnePage, uniqueName } from './fixtures.js';

for (const backend of BACKENDS) {
  describe(`stored-text quarantine of a sign or deliver job (${backend.name} ledger)`, () => {
    let db: TestDatabase;
    let ledger: Ledger;

    beforeAll(async () => {
      db = await backend.create();
      ledger = await openLedger(db.url, { logger: quietLogger });
    });
    afterAll(async () => {
      await ledger?.close();
      await db?.dispose();
    });

    it('records each version once, in the job run, audited, the run counts left alone', async () => {
      const pipeline = uniqueName('st');
      const runId = randomUUID();
      const page = candidates(1, 3, { pipeline });
      const { created } = await commitOnePage(ledger, pipeline, runId, page);
      const [a, b] = created;
      if (!a || !b) throw new Error('versions expected');
      const input = {
        pipeline,
        runId,
        stage: 'deliver' as const,
        actor: 'target:province',
        target: 'province',
        corrupt: [
          { versionId: a.versionId, problem: 'its stored text does not read (SyntaxError)' },
          { versionId: b.versionId, problem: 'its stored text does not match the content hash' },
        ],
      };
      const first = await ledger.quarantineStoredText(input);
      expect(first.map((f) => [f.licenseId, f.version, f.sourceKey, f.createdBy, f.fresh])).toEqual([
        [a.licenseId, 1, page[0]?.sourceKey, runId, true],
        [b.licenseId, 1, page[1]?.sourceKey, runId, true],
      ]);
      const again = await ledger.quarantineStoredText({ ...input, runId: randomUUID() });
      expect(again.map((f) => f.fresh)).toEqual([false, false]);

      const open = (await ledger.openQuarantine({ pipeline })).filter((q) =>
        q.reasons.some((r) => r.code === 'LB_STORED_TEXT'),
      );
      expect(open.map((q) => [q.sourceKey, q.lastRunId])).toEqual([
        [page[0]?.sourceKey, runId],
        [page[1]?.sourceKey, runId],
      ]);
      const said = JSON.stringify(open);
      expect(said).toContain(`license ${a.licenseId} version 1: its stored text does not read`);
      expect(said).toContain('`licbridge dlq replay` sends it');
      expect(said).not.toContain('经营者');
      expect((await ledger.getRun(runId))?.quarantined).toBe(0);

      const entries = ((await ledger.licenseAudit(a.licenseId)) ?? []).filter(
        (e) => e.action === 'quarantine',
      );
      expect(entries).toHaveLength(1);
      expect(entries[0]).toMatchObject({ actor: 'target:province', versions: [1] });
      expect(JSON.parse(entries[0]?.detail ?? '{}')).toEqual({
        runId,
        pipeline,
        code: 'LB_STORED_TEXT',
        stage: 'deliver',
        target: 'province',
      });
      expect((await ledger.verifyAudit()).ok).toBe(true);
    });
  });
}
