/**
 * A repair's quarantine records for licenses it cannot end, on both ledgers: written once per key
 * and code however many repairs plan them (a key whose record is open keeps it), and those of a
 * license only a platform held at version 999 closed by target, all but the keys still held. Each
 * record written is the repair's act on a license: one `quarantine` audit entry, ids only.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Ledger } from '../../ledger/ledger.js';
import { openLedger } from '../../ledger/open-ledger.js';
import { BACKENDS, quietLogger, type TestDatabase } from './backends.js';
import { uniqueName } from './fixtures.js';

const LICENSE = '1.2.156.3005.2.11370200MB1234567X001.11370211MB1234567X.ZZZZ';

describe.each(BACKENDS)('a repair quarantining what it cannot end ($name)', (backend) => {
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

  /** One repair's run writing the quarantine records of `keys` (adoptions at 999) and one corrupt text. */
  async function repair(pipeline: string, keys: string[]): Promise<string> {
    const runId = uniqueName('repair');
    await ledger.startRun({ runId, pipeline, mode: 'full' });
    await ledger.appendRepairVersions({
      pipeline,
      runId,
      actor: 'operator:test',
      versions: [],
      unended: keys.map((sourceKey) => ({
        licenseId: LICENSE,
        sourceKey,
        status: 'revoked' as const,
        adoptedAt: sourceKey.split(':')[1] ?? '',
      })),
      corrupt: [
        { licenseId: LICENSE, version: 3, sourceKey: 'row-7', problem: 'its stored text does not read' },
      ],
    });
    return runId;
  }

  /** The `quarantine` entries of `pipeline`'s repairs, as `audit show` reads the chain. */
  async function quarantineEntries(pipeline: string) {
    const entries = await ledger.readAudit({ limit: 100_000 });
    return entries.filter((e) => e.action === 'quarantine' && e.detail.includes(`"pipeline":"${pipeline}"`));
  }

  it('audits each record it writes as `quarantine`, once, the chain whole', async () => {
    const pipeline = uniqueName('p');
    const keys = ['platform:province:P-1'];
    const first = await repair(pipeline, keys);
    await repair(pipeline, keys);
    const entries = await quarantineEntries(pipeline);
    expect(
      entries.map((e) => [e.actor, e.licenseId, e.version, e.digest, JSON.parse(e.detail) as unknown]),
    ).toEqual([
      [
        'operator:test',
        LICENSE,
        null,
        null,
        {
          runId: first,
          pipeline,
          code: 'LB_VERSION_LIMIT',
          stage: 'repair',
          status: 'revoked',
          target: 'province',
        },
      ],
      [
        'operator:test',
        LICENSE,
        3,
        null,
        { runId: first, pipeline, code: 'LB_STORED_TEXT', stage: 'repair' },
      ],
    ]);
    // Ids and codes only: no message, no value of the license.
    expect(entries.map((e) => e.detail).join('')).not.toContain('does not read');
    expect((await ledger.verifyAudit()).ok).toBe(true);
  });

  it('audits a license deleted at the source at version 999 with the status it could not take', async () => {
    const pipeline = uniqueName('p');
    const runId = uniqueName('repair');
    await ledger.startRun({ runId, pipeline, mode: 'full' });
    await ledger.appendRepairVersions({
      pipeline,
      runId,
      actor: 'operator:test',
      versions: [],
      unended: [{ licenseId: LICENSE, sourceKey: 'row-9', status: 'cancelled' }],
    });
    const entries = await quarantineEntries(pipeline);
    expect(entries.map((e) => [e.licenseId, e.version, JSON.parse(e.detail) as unknown])).toEqual([
      [LICENSE, 999, { runId, pipeline, code: 'LB_VERSION_LIMIT', stage: 'repair', status: 'cancelled' }],
    ]);
    expect((await ledger.verifyAudit()).ok).toBe(true);
  });

  it('records each key once, and closes a target held licenses no longer held', async () => {
    const pipeline = uniqueName('p');
    const keys = ['platform:province:P-1', 'platform:province:P-2', 'platform:city:P-1'];
    const first = await repair(pipeline, keys);
    const second = await repair(pipeline, keys);
    const open = await ledger.openQuarantine({ pipeline });
    expect(open.map((q) => [q.sourceKey, q.timesSeen, q.lastRunId])).toEqual([
      ['platform:city:P-1', 1, first],
      ['platform:province:P-1', 1, first],
      ['platform:province:P-2', 1, first],
      ['row-7', 1, first],
    ]);
    expect((await ledger.getRun(first))?.quarantined).toBe(4);
    expect((await ledger.getRun(second))?.quarantined).toBe(0);

    // The province lists P-2 still at 999, P-1 no longer: P-1's record closes, no other.
    expect(await ledger.closeAdoptionsAtLimit(pipeline, 'province', new Set(['platform:province:P-2']))).toBe(
      1,
    );
    expect((await ledger.openQuarantine({ pipeline })).map((q) => q.sourceKey)).toEqual([
      'platform:city:P-1',
      'platform:province:P-2',
      'row-7',
    ]);
  });
});
