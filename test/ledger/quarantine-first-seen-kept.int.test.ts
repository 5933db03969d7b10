/**
 * A key read twice in one page of a run, once mapping cleanly and once quarantined, stays on the
 * worklist: its record was open before the page and is open after. Its first seen (and the age the
 * worklist shows from it) is kept. SQLite, and PostgreSQL's bound way (a page holding a key JSON
 * would carry otherwise, pg-page-quarantine.ts), closed the record and reopened it in the page,
 * so the record's first seen became the page's time; PostgreSQL's one statement kept it.
 */
import { describe, expect, it } from 'vitest';
import type { QuarantineCandidate } from '../../ledger/ledger.js';
import { BACKENDS } from './backends.js';
import { candidate, uniqueName } from './fixtures.js';
import { ledgerPerBackend } from './ledger-per-backend.js';
import { commitQuarantinePage } from './quarantine-page.js';

const bad = (key: string): QuarantineCandidate => ({
  sourceKey: key,
  reasons: [{ code: 'LB_MAP_DATE', message: 'not valid', path: 'validTo' }],
});

/** Resolves once the host clock, which stamps a page's records (nowIso), has passed `t`. */
async function clockPast(t: Date): Promise<void> {
  while (Date.now() <= t.getTime()) await new Promise((r) => setTimeout(r, 1));
}

describe.each(BACKENDS)('a key mapped and quarantined in one page of its run ($name)', (backend) => {
  const l = ledgerPerBackend(backend);
  const entry = async (pipeline: string, key: string) =>
    (await l.ledger.openQuarantine({ pipeline })).find((e) => e.sourceKey === key);

  // A lone surrogate in a key sends PostgreSQL's page the bound way; SQLite's always goes it.
  for (const way of ['in one statement', 'the bound way'] as const) {
    it(`keeps its first seen (${way})`, async () => {
      const pipeline = uniqueName('qfs');
      const runId = uniqueName('run');
      const c = candidate({ n: 1, pipeline });
      const others = way === 'the bound way' ? [bad(`${pipeline}-\ud800`)] : [];
      await l.ledger.startRun({ runId, pipeline, mode: 'incremental' });
      await commitQuarantinePage(l.ledger, pipeline, runId, 1, {
        quarantined: [bad(c.sourceKey), ...others],
      });
      const before = await entry(pipeline, c.sourceKey);
      if (!before) throw new Error('the key is not on the worklist');
      await clockPast(before.firstSeen);
      await commitQuarantinePage(l.ledger, pipeline, runId, 2, {
        candidates: [c],
        quarantined: [bad(c.sourceKey), ...others],
      });
      const after = await entry(pipeline, c.sourceKey);
      expect(after?.firstSeen).toEqual(before.firstSeen);
      expect(after?.timesSeen).toBe(1);
    });

    it(`closes an earlier run's record of it (${way})`, async () => {
      const pipeline = uniqueName('qfs');
      const [first, second] = [uniqueName('run'), uniqueName('run')];
      const c = candidate({ n: 2, pipeline });
      const others = way === 'the bound way' ? [bad(`${pipeline}-\udc00`)] : [];
      await l.ledger.startRun({ runId: first, pipeline, mode: 'incremental' });
      await commitQuarantinePage(l.ledger, pipeline, first, 1, {
        quarantined: [bad(c.sourceKey), ...others],
      });
      await l.ledger.finishRun(first, { state: 'done' });
      await l.ledger.startRun({ runId: second, pipeline, mode: 'incremental' });
      await commitQuarantinePage(l.ledger, pipeline, second, 1, {
        candidates: [c],
        quarantined: [bad(c.sourceKey), ...others],
      });
      const after = await entry(pipeline, c.sourceKey);
      expect(after?.timesSeen).toBe(1);
      expect(after?.lastRunId).toBe(second);
    });
  }
});
