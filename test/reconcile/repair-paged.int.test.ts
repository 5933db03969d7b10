/**
 * A repair read the stored license of every license it would revoke or cancel in one ledger read
 * before it wrote the first version: under `--allow-mass` on a ledger of a million licenses, hundreds
 * of MB at once. It now reads them a page of the plan at a time, as that page's versions are written.
 * The same deletions written in pages of two end the same licenses with the same versions and the
 * same audit entries, in the same order, as written in one page.
 */
import { describe, expect, it } from 'vitest';
import { createLogger } from '../../core/logger.js';
import type { Ledger } from '../../ledger/ledger.js';
import { type AppliedRepairs, writeRepairs } from '../../pipelines/reconcile/repair.js';
import { Runtime } from '../../pipelines/runtime.js';
import {
  LEGACY_TABLE,
  legacySql,
  REVOKE_PIPELINE as PIPELINE,
  planRepairsNow,
  type RevokeFixture,
  useRevokeWorkspace,
} from '../support/revoke-workspace.js';

const logger = createLogger({ level: 'silent' });
const DELETED = 5;

/** What a repair left: the pipeline's licenses, and its run's audit entries (the run id left out). */
interface Outcome {
  applied: AppliedRepairs;
  licenses: [string, string, number][];
  audit: [string, string | null, number | null, string | null, string][];
  /** How many version ids each read of stored licenses asked for. */
  reads: number[];
}

/** Deletes the source rows of the first `DELETED` valid licenses and writes the repair planned then. */
async function repairDeletions(fixture: RevokeFixture, pageSize?: number): Promise<Outcome> {
  const rt = new Runtime(fixture.config, logger);
  try {
    const ledger = await rt.ledger();
    const valid = (await ledger.pipelineLicenses(PIPELINE))
      .filter((l) => l.status === 'valid')
      .sort((a, b) => (a.licenseId < b.licenseId ? -1 : 1))
      .slice(0, DELETED);
    for (const l of valid) legacySql(fixture.ws, `DELETE FROM ${LEGACY_TABLE} WHERE ID = ?`, l.sourceKey);
    const plan = await planRepairsNow(rt);
    expect(plan.byAction.revoke).toBe(DELETED);
    const reads: number[] = [];
    const getVersions = ledger.getVersions.bind(ledger);
    Object.assign(ledger, {
      getVersions: (ids: Parameters<Ledger['getVersions']>[0]) => {
        reads.push(ids.length);
        return getVersions(ids);
      },
    });
    let applied: AppliedRepairs;
    try {
      applied = await writeRepairs(rt, plan, pageSize === undefined ? {} : { pageSize });
    } finally {
      Object.assign(ledger, { getVersions });
    }
    await ledger.finishRun(applied.runId, { state: 'done' });
    const licenses = (await ledger.pipelineLicenses(PIPELINE))
      .map((l): [string, string, number] => [l.licenseId, l.status, l.version])
      .sort((a, b) => (a[0] < b[0] ? -1 : 1));
    const audit = (await ledger.readAudit({ limit: 1000 }))
      .filter((e) => e.detail.includes(applied.runId))
      .map((e): Outcome['audit'][number] => [
        e.action,
        e.licenseId,
        e.version,
        e.digest,
        e.detail.replace(applied.runId, '<run>'),
      ]);
    return { applied, licenses, audit, reads };
  } finally {
    await rt.close();
  }
}

describe('a repair revoking more licenses than a page', () => {
  const whole = useRevokeWorkspace({ seed: 61 }, logger);
  const paged = useRevokeWorkspace({ seed: 61 }, logger);

  it('reads their stored licenses a page at a time and writes what one read wrote', async () => {
    const one = await repairDeletions(whole);
    const pages = await repairDeletions(paged, 2);

    // Five revocations in pages of two: three reads, none of more than two versions.
    expect(one.reads).toEqual([DELETED]);
    expect(pages.reads).toEqual([2, 2, 1]);

    expect(pages.licenses.filter(([, status]) => status === 'revoked')).toHaveLength(DELETED);
    expect(pages.licenses).toEqual(one.licenses);
    // A `repair` and a `revoke` entry for each, in the plan's order, as the one read wrote them.
    expect(pages.audit).toHaveLength(2 * DELETED);
    expect(pages.audit).toEqual(one.audit);
    expect(pages.applied.versionIds).toHaveLength(DELETED);
    expect(pages.applied.withoutStoredText).toEqual([]);
  }, 120_000);
});
