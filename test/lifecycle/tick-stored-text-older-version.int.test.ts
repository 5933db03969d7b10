/**
 * A sign job that met version 1 of a license corrupt quarantined it `LB_STORED_TEXT`, the version
 * left unsigned. The license changed (version 2, its text sound) and ran out; the tick expiring it
 * from version 2 closed every stored-text reason of the key, version 1's too, though version 1 was
 * still corrupt and unsigned: the next run's sign job met it again and wrote a fresh record and a
 * second `quarantine` audit entry. The tick now closes only what was said of the version it read
 * (and what an earlier tick said of the license it has now expired).
 */
import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { addDays } from '../../core/local-date.js';
import { lifecycleToday } from '../../pipelines/lifecycle/settings.js';
import { lifecycleTick } from '../../pipelines/lifecycle/tick.js';
import { Runtime } from '../../pipelines/runtime.js';
import { BACKENDS, quietLogger } from '../ledger/backends.js';
import { realDayWorkspace } from './reminders-fixture.js';
import { editStoredText } from './stored-text-fixture.js';

for (const backend of BACKENDS) {
  describe(`the tick expiring a license with an older version unsigned (${backend.name} ledger)`, () => {
    const ws = realDayWorkspace({ backend });

    const storedTextReasons = async () =>
      (await ws.ledger.openQuarantine({ pipeline: ws.pipeline }))
        .flatMap((q) => q.reasons)
        .filter((r) => r.code === 'LB_STORED_TEXT')
        .map((r) => r.message);
    const reasonsOf = async (licenseId: string) =>
      (await storedTextReasons()).filter((m) => m.startsWith(`ledger: license ${licenseId} version `));
    const versionIds = async (licenseId: string) =>
      (await ws.ledger.versionPage({ afterVersionId: 0, limit: 10, licenseIds: [licenseId] })).map(
        (v) => v.versionId,
      );
    const signJobMeets = async (versionId: number) => {
      const runId = randomUUID();
      await ws.ledger.startRun({ runId, pipeline: ws.pipeline, mode: 'incremental' });
      return ws.ledger.quarantineStoredText({
        pipeline: ws.pipeline,
        runId,
        stage: 'sign',
        actor: 'signer:seal-1',
        corrupt: [{ versionId, problem: 'its stored text does not read' }],
      });
    };

    it("keeps the older version's record open, and the sign job meeting it again adds none", async () => {
      const today = lifecycleToday(ws.config)();
      const id = ws.licenseId(1);
      await ws.commit(1, addDays(today, -10), { phone: '13912340001' });
      const [first] = await versionIds(id);
      // Version 1's text broken, then the license changed: version 2 reads.
      await editStoredText(ws, id, (text) => text.slice(0, 20));
      expect((await signJobMeets(first as number))[0]?.fresh).toBe(true);
      await ws.commit(1, addDays(today, -5), { phone: '13912340001' }, '长江中路2号');
      expect(await versionIds(id)).toHaveLength(2);

      const rt = new Runtime(ws.config, quietLogger);
      try {
        const tick = await lifecycleTick(rt);
        expect(tick.pipelines[0]).toMatchObject({ expired: 1, setAside: [] });
      } finally {
        await rt.close();
      }
      const open = await reasonsOf(id);
      expect(open).toHaveLength(1);
      expect(open[0]).toMatch(new RegExp(`^ledger: license ${id.replaceAll('.', '\\.')} version 1: `));
      // The next run's sign job meets version 1 again: no second record, no second audit entry.
      expect((await signJobMeets(first as number))[0]?.fresh).toBe(false);
      const audit = (await ws.ledger.licenseAudit(id)) ?? [];
      expect(audit.filter((e) => e.action === 'quarantine')).toHaveLength(1);
    });

    it("closes what a tick said of an older version once a later one's tick expires the license", async () => {
      const today = lifecycleToday(ws.config)();
      const id = ws.licenseId(2);
      await ws.commit(2, addDays(today, -10), { phone: '13912340002' });
      await editStoredText(ws, id, (text) => text.slice(0, 20));
      const rt = new Runtime(ws.config, quietLogger);
      try {
        const setAside = await lifecycleTick(rt, { today: addDays(today, 1) });
        expect(setAside.pipelines[0]).toMatchObject({ expired: 0, setAside: [id] });
        expect(await reasonsOf(id)).toHaveLength(1);
        // The license changed and is still due: the tick expires it from version 2.
        await ws.commit(2, addDays(today, -5), { phone: '13912340002' }, '长江中路2号');
        const expired = await lifecycleTick(rt, { today: addDays(today, 2) });
        expect(expired.pipelines[0]).toMatchObject({ expired: 1, setAside: [] });
      } finally {
        await rt.close();
      }
      expect(await reasonsOf(id)).toEqual([]);
    });
  });
}
