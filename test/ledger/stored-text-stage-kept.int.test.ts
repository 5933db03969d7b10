/**
 * Which stage a stored-text reason (`LB_STORED_TEXT`) is of — a sign or deliver job's, a repair's,
 * the lifecycle tick's — decides which later event stands for it or closes it
 * (ledger/repair-quarantine.ts). It was read from the reason's message: a message holding another
 * stage's words (its `problem`, say, quoting them) was taken for that stage's. A deliver job
 * meeting a version a sign job's reason spoke of in its words wrote nothing (no reason, no audit
 * entry), and a repair ending the license closed a sign job's reason about another version still
 * corrupt. The stage is now written with the reason and read from there.
 */
import { randomUUID } from 'node:crypto';
import type { Knex } from 'knex';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../../ledger/db.js';
import type { Ledger } from '../../ledger/ledger.js';
import { openLedger } from '../../ledger/open-ledger.js';
import { closeEndedStoredText, REPAIR_ENDED_BY } from '../../ledger/repair-quarantine.js';
import { STAGE_SAID } from '../../ledger/stored-text-quarantine.js';
import { BACKENDS, quietLogger, type TestDatabase } from './backends.js';
import { candidates, commitOnePage, uniqueName } from './fixtures.js';
import { recordingDb } from './plan-harness.js';
import { rawKnex } from './raw-knex.js';

for (const backend of BACKENDS) {
  describe(`a stored-text reason quoting another stage's words (${backend.name})`, () => {
    let database: TestDatabase;
    let ledger: Ledger;
    let k: Knex;
    let db: Db;

    beforeAll(async () => {
      database = await backend.create();
      ledger = await openLedger(database.url, { logger: quietLogger });
      k = rawKnex(database.url);
      db = recordingDb(k, backend.name, []);
    });
    afterAll(async () => {
      await k?.destroy();
      await ledger?.close();
      await database?.dispose();
    });

    const signed = async (problem: string) => {
      const pipeline = uniqueName('sts');
      const runId = randomUUID();
      const page = candidates(1, 1, { pipeline });
      const { created } = await commitOnePage(ledger, pipeline, runId, page);
      const v = created[0];
      if (!v) throw new Error('a version expected');
      const sign = { pipeline, runId, stage: 'sign' as const, actor: 'signer:s1' };
      await ledger.quarantineStoredText({ ...sign, corrupt: [{ versionId: v.versionId, problem }] });
      return { pipeline, runId, v, sourceKey: page[0]?.sourceKey as string };
    };
    const openMessages = async (pipeline: string) =>
      (await ledger.openQuarantine({ pipeline })).flatMap((e) => e.reasons.map((r) => r.message));

    it("is no deliver job's reason, which a deliver job meeting the version writes beside it", async () => {
      const { pipeline, runId, v } = await signed(
        `its stored text does not read (${STAGE_SAID.deliver.consequence})`,
      );
      const [found] = await ledger.quarantineStoredText({
        pipeline,
        runId,
        stage: 'deliver',
        actor: 'target:province',
        target: 'province',
        corrupt: [{ versionId: v.versionId, problem: 'its stored text does not read (SyntaxError)' }],
      });
      expect(found?.fresh).toBe(true);
      const messages = await openMessages(pipeline);
      expect(messages).toHaveLength(2);
      expect(messages.filter((m) => m.includes('`licbridge dlq replay` sends it'))).toHaveLength(1);
    });

    it('of a reason written without its stage (an earlier release), is told by how the message ends', async () => {
      const { pipeline, runId, v } = await signed('its stored text does not read (SyntaxError)');
      const deliver = {
        pipeline,
        runId,
        stage: 'deliver' as const,
        actor: 'target:province',
        target: 'province',
        corrupt: [{ versionId: v.versionId, problem: 'its stored text does not read (SyntaxError)' }],
      };
      expect((await ledger.quarantineStoredText(deliver))[0]?.fresh).toBe(true);
      // As an earlier release wrote them: code and message only.
      const rows: { id: number; reasons: string }[] = await k('quarantine')
        .where({ pipeline })
        .select('id', 'reasons');
      for (const r of rows) {
        const bare = (JSON.parse(r.reasons) as { code: string; message: string }[]).map(
          ({ code, message }) => ({
            code,
            message,
          }),
        );
        await k('quarantine')
          .where({ id: r.id })
          .update({ reasons: JSON.stringify(bare) });
      }
      expect((await ledger.quarantineStoredText(deliver))[0]?.fresh).toBe(false);
      expect(
        (await ledger.quarantineStoredText({ ...deliver, stage: 'sign', actor: 'signer:s1' }))[0]?.fresh,
      ).toBe(false);
      expect(await openMessages(pipeline)).toHaveLength(2);

      // A deliver job's reason as the releases before a replay left one behind a later version wrote it.
      const older = 'once its text is restored, `licbridge dlq replay` sends it';
      for (const r of await k('quarantine').where({ pipeline }).select('id', 'reasons')) {
        const reasons = (JSON.parse(r.reasons) as { code: string; message: string }[]).map((x) => ({
          ...x,
          message: x.message.replace(
            /`licbridge dlq replay` sends it, unless .*$/,
            '`licbridge dlq replay` sends it',
          ),
        }));
        await k('quarantine')
          .where({ id: r.id })
          .update({ reasons: JSON.stringify(reasons) });
      }
      expect((await openMessages(pipeline)).filter((m) => m.endsWith(older))).toHaveLength(1);
      expect((await ledger.quarantineStoredText(deliver))[0]?.fresh).toBe(false);
    });

    it('is not closed by a repair ending the license from another version', async () => {
      // The repair's words, as its reasons write them.
      const repairs =
        'so the reconcile repair could not build its ending from it; it stays as it is in the ledger and at the platforms';
      const { pipeline, v, sourceKey } = await signed(`its stored text does not read (${repairs})`);
      await k.transaction((trx) =>
        closeEndedStoredText(
          trx,
          db,
          pipeline,
          [{ sourceKey, licenseId: v.licenseId, version: v.version + 1 }],
          new Date().toISOString(),
          REPAIR_ENDED_BY,
        ),
      );
      expect(await openMessages(pipeline)).toHaveLength(1);
    });
  });
}
