/**
 * A claim that found its pipeline's lease held by a process gone from this host takes it over in
 * a second statement. Between the two, another process working the same run (a second copy of its
 * extract job, on another host) may adopt the run's lease at its renewal: the run's holder is
 * alive again. The takeover named the run only, so it went through all the same, and the pipeline
 * had two live runs reading it. It now names the holder it judged gone, and leaves a lease another
 * holder has adopted since to that holder. On both ledger backends.
 */
import { hostname } from 'node:os';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Ledger } from '../../ledger/ledger.js';
import { openLedger } from '../../ledger/open-ledger.js';
import { PIPELINE_LEASE_MS, takePipeline } from '../../pipelines/pipeline-lease.js';
import { BACKENDS, quietLogger, type TestDatabase } from '../ledger/backends.js';
import { uniqueName } from '../ledger/fixtures.js';
import { deadPid } from '../support/dead-pid.js';

describe.each(BACKENDS)('a takeover of a lease adopted meanwhile ($name)', (backend) => {
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

  it('leaves the run to the process that adopted it between the read and the takeover', async () => {
    const pipeline = uniqueName('p');
    const held = uniqueName('run');
    const gone = `${hostname()} ${await deadPid()}`;
    const adopter = 'other-host 4242';
    expect(
      await ledger.pipelineLeases.claim({ pipeline, runId: held, holder: gone, forMs: PIPELINE_LEASE_MS }),
    ).toBeNull();

    // The other copy of the run's extract job adopts the lease right after the claim read it.
    let claims = 0;
    const leases = ledger.pipelineLeases;
    const racing = {
      pipelineLeases: {
        ...leases,
        async claim(c: Parameters<typeof leases.claim>[0]) {
          const answer = await leases.claim(c);
          claims += 1;
          if (claims === 1) {
            // Adopted at its renewal: the gone holder's lease lasts less than its length less the
            // adoption delay (here the whole lease past now), so the renewal takes it over.
            expect(
              await leases.renew(pipeline, held, adopter, 2 * PIPELINE_LEASE_MS, PIPELINE_LEASE_MS),
            ).toBe(true);
          }
          return answer;
        },
      },
    } as Pick<Ledger, 'pipelineLeases'>;

    const answer = await takePipeline(racing, pipeline, uniqueName('run'), `${hostname()} ${process.pid}`);
    expect(claims).toBe(2);
    expect(answer?.runId).toBe(held);
    const now = await ledger.pipelineLeases.holderOf(pipeline);
    expect({ runId: now?.runId, holder: now?.holder }).toEqual({ runId: held, holder: adopter });
    // The adopter still holds the run's lease: its next renewal keeps it.
    expect(await ledger.pipelineLeases.renew(pipeline, held, adopter, PIPELINE_LEASE_MS)).toBe(true);
  });

  it('still takes over a lease whose holder is gone and was not adopted', async () => {
    const pipeline = uniqueName('p');
    const held = uniqueName('run');
    const gone = `${hostname()} ${await deadPid()}`;
    expect(
      await ledger.pipelineLeases.claim({ pipeline, runId: held, holder: gone, forMs: PIPELINE_LEASE_MS }),
    ).toBeNull();
    const runId = uniqueName('run');
    const me = `${hostname()} ${process.pid}`;
    expect(await takePipeline(ledger, pipeline, runId, me)).toBeNull();
    const now = await ledger.pipelineLeases.holderOf(pipeline);
    expect({ runId: now?.runId, holder: now?.holder }).toEqual({ runId, holder: me });
  });
});
