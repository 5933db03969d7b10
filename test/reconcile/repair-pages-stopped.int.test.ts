/**
 * A repair writes its plan a page at a time, each page its own transaction (write-repairs.ts). A
 * repair told to stop (SIGTERM, Ctrl-C) once its last read of the source's keys was over wrote every
 * page of the plan anyway (under `--allow-mass`, a million revocations) and heard the stop only as it
 * queued the jobs. It now stops before its next page: the pages written stand, no further one is
 * written, its run ends `abandoned` and the pipeline is let go, as a repair stopped elsewhere.
 */
import { describe, expect, it, vi } from 'vitest';
import { createLogger } from '../../core/logger.js';
import { applyRepairs } from '../../pipelines/reconcile/apply-repairs.js';
import { RunStopped } from '../../pipelines/run-stop.js';
import { Runtime } from '../../pipelines/runtime.js';
import {
  LEGACY_TABLE,
  legacySql,
  REVOKE_PIPELINE as PIPELINE,
  planRepairsNow,
  useRevokeWorkspace,
} from '../support/revoke-workspace.js';

// Pages of one plan item: three revocations are three pages (500 a page otherwise).
vi.mock('../../ledger/reconcile-repairs.js', async (importOriginal) => ({
  ...(await importOriginal<typeof import('../../ledger/reconcile-repairs.js')>()),
  REPAIR_PART: 1,
}));

const logger = createLogger({ level: 'silent' });
const DELETED = 3;

const fixture = useRevokeWorkspace({ seed: 73 }, logger);

describe('a repair stopped after its first page of versions is written', () => {
  it('writes no further page, and its run is abandoned', async () => {
    const rt = new Runtime(fixture.config, logger);
    try {
      const ledger = await rt.ledger();
      const valid = (await ledger.pipelineLicenses(PIPELINE))
        .filter((l) => l.status === 'valid')
        .slice(0, DELETED);
      for (const l of valid) legacySql(fixture.ws, `DELETE FROM ${LEGACY_TABLE} WHERE ID = ?`, l.sourceKey);
      const plan = await planRepairsNow(rt);
      const ending = plan.items.filter((i) => i.action === 'revoke').map((i) => i.difference.licenseId);
      expect(ending).toHaveLength(DELETED);
      // The stop asked for as the first page's versions are committed.
      const stop = new AbortController();
      const append = ledger.appendRepairVersions.bind(ledger);
      Object.assign(ledger, {
        appendRepairVersions: async (input: Parameters<typeof append>[0]) => {
          const created = await append(input);
          if (input.versions.length > 0) stop.abort('SIGTERM');
          return created;
        },
      });
      const e = await applyRepairs(rt, plan, { logger, stop: stop.signal }).then(
        () => new Error('the repair was stopped; it should not have completed'),
        (err: unknown) => err,
      );
      Object.assign(ledger, { appendRepairVersions: append });
      expect(e).toBeInstanceOf(RunStopped);
      const runId = (e as RunStopped).runs[0]?.runId ?? '';
      expect((await ledger.getRun(runId))?.state).toBe('abandoned');
      expect(await ledger.pipelineLeases.holderOf(PIPELINE)).toBeNull();
      // The first page's revocation stands; the two pages after the stop were not written.
      const statuses = (await ledger.pipelineLicenses(PIPELINE))
        .filter((l) => ending.includes(l.licenseId))
        .map((l) => [l.licenseId, l.status]);
      expect(statuses).toEqual(
        expect.arrayContaining([
          [ending[0], 'revoked'],
          [ending[1], 'valid'],
          [ending[2], 'valid'],
        ]),
      );
    } finally {
      await rt.close();
    }
  }, 120_000);
});
