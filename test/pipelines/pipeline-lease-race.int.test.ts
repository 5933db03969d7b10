/**
 * Two runs finding a pipeline's lease free at the same moment (run out, or held by a process gone
 * from this host) are leased it one only, on both ledger backends: the other is told which run won.
 * Each claimant is its own ledger handle (its own connections, as another process has).
 */
import { hostname } from 'node:os';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Ledger } from '../../ledger/ledger.js';
import { openLedger } from '../../ledger/open-ledger.js';
import { takePipeline } from '../../pipelines/pipeline-lease.js';
import { BACKENDS, quietLogger, type TestDatabase } from '../ledger/backends.js';
import { uniqueName } from '../ledger/fixtures.js';
import { deadPid } from '../support/dead-pid.js';

const CLAIMANTS = 6;

describe.each(BACKENDS)('claims racing for a free pipeline ($name)', (backend) => {
  let database: TestDatabase;
  let ledgers: Ledger[] = [];

  beforeAll(async () => {
    database = await backend.create();
    ledgers = [];
    for (let i = 0; i < 3; i += 1) ledgers.push(await openLedger(database.url, { logger: quietLogger }));
  });

  afterAll(async () => {
    for (const l of ledgers) await l.close();
    await database?.dispose();
  });

  async function race(pipeline: string): Promise<void> {
    const runs = Array.from({ length: CLAIMANTS }, () => uniqueName('run'));
    const answers = await Promise.all(
      runs.map((runId, i) =>
        takePipeline(ledgers[i % ledgers.length] as Ledger, pipeline, runId, `host-${i} ${i + 1}`),
      ),
    );
    const winners = runs.filter((_, i) => answers[i] === null);
    expect(winners).toHaveLength(1);
    const held = await ledgers[0]?.pipelineLeases.holderOf(pipeline);
    expect(held?.runId).toBe(winners[0]);
    // Every loser is told the winner, not the holder it found gone.
    for (const a of answers) if (a !== null) expect(a.runId).toBe(winners[0]);
  }

  it('leases a lease that ran out to one run only', async () => {
    const pipeline = uniqueName('p');
    const first = ledgers[0] as Ledger;
    const claim = { pipeline, runId: uniqueName('run'), holder: 'other-host 4242' };
    expect(await first.pipelineLeases.claim({ ...claim, forMs: -1 })).toBeNull();
    await race(pipeline);
  });

  it('leases a lease whose process is gone from this host to one run only', async () => {
    const pipeline = uniqueName('p');
    const first = ledgers[0] as Ledger;
    const forMs = 60_000;
    const holder = `${hostname()} ${await deadPid()}`;
    expect(
      await first.pipelineLeases.claim({ pipeline, runId: uniqueName('run'), holder, forMs }),
    ).toBeNull();
    await race(pipeline);
  });
});
