/**
 * An uphold asked to stop (SIGTERM, SIGINT: `objection resolve --upheld` passes the signal on) stops
 * as a repair does: its re-read's run ends `abandoned`, the pipeline is let go, and the objection
 * stays open with the attempt in the audit chain (`re-read-failed`, code `stopped`). It was applied
 * without a stop: the signal ended the process, its run `running` and the pipeline leased. Needs
 * Redis and the demo workspace.
 */
import { expect, it } from 'vitest';
import { upholdObjection } from '../../pipelines/lifecycle/objection-uphold.js';
import { holdPipelines, releasePipelines } from '../../pipelines/pipeline-lease.js';
import { RunStopped } from '../../pipelines/run-stop.js';
import { Runtime } from '../../pipelines/runtime.js';
import { quietLogger } from '../ops/ops-fixtures.js';
import { failureOf, objectionWorkspace, PIPELINE, upholdFailure } from './objection-fixture.js';

const demo = objectionWorkspace(10);

it('an uphold stopped re-reads nothing, lets the pipeline go, leaves no run running and the objection open to resolve again', async () => {
  const { license, objection } = await demo.objected({ notObjected: true });
  demo.setPlace(license.sourceKey, '济南市历下区泉城路1号（已更正）');
  const before = demo.versionCount(license.id);
  const stop = new AbortController();
  stop.abort('SIGTERM');
  const rt = new Runtime(demo.config, quietLogger());
  let failure: unknown;
  try {
    failure = await failureOf(
      upholdObjection(rt, objection.objectionId, '已更正', { logger: quietLogger(), stop: stop.signal }),
    );
    const ledger = await rt.ledger();
    expect(failure).toBeInstanceOf(RunStopped);
    const stopped = failure as RunStopped;
    expect(stopped.signal).toBe('SIGTERM');
    expect(await ledger.runningRuns()).toEqual([]);
    expect(await ledger.pipelineLeases.holderOf(PIPELINE)).toBeNull();
    const [open] = await ledger.listObjections({ objectionId: objection.objectionId });
    expect(open?.state).toBe('open');
  } finally {
    await rt.close();
  }
  // Stopped before its re-read wrote anything.
  expect(demo.versionCount(license.id)).toBe(before);
  const attempts = demo
    .audit(license.id)
    .filter((r) => r.action === 'objection-attempt')
    .map((r) => [r.detail.result, r.detail.errorCode ?? null]);
  expect(attempts).toEqual([
    ['started', null],
    ['re-read-failed', 'stopped'],
  ]);
  // Resolved again, without a stop, the objection is upheld: nothing of the stopped attempt holds it.
  const again = new Runtime(demo.config, quietLogger());
  try {
    const upheld = await upholdObjection(again, objection.objectionId, '已更正', { logger: quietLogger() });
    expect(upheld.state).toBe('upheld');
    expect(await (await again.ledger()).runningRuns()).toEqual([]);
  } finally {
    await again.close();
  }
  expect(demo.versionCount(license.id)).toBe(before + 1);
});

it("an uphold stopped after its run started ends the run naming the uphold's command", async () => {
  const { license, objection } = await demo.objected({ notObjected: true });
  demo.setPlace(license.sourceKey, '济南市历下区泉城路2号（已更正）');
  // Asked to stop once the uphold's run is under way (read from the ledger file, as a signal lands).
  const started = () =>
    demo.sql(
      (db) =>
        (
          db
            .prepare("select count(*) as n from runs where run_id like 'repair-%' and state = 'running'")
            .get() as {
            n: number;
          }
        ).n > 0,
    );
  const stop = {
    get aborted() {
      return started();
    },
    reason: 'SIGTERM',
    addEventListener() {},
    removeEventListener() {},
  } as unknown as AbortSignal;
  const failure = await upholdFailure(demo.config, objection.objectionId, '已更正', { stop });
  expect(failure).toBeInstanceOf(RunStopped);
  const runs = demo.sql(
    (db) =>
      db
        .prepare("select state, error from runs where run_id like 'repair-%' and state = 'abandoned'")
        .all() as {
        state: string;
        error: string;
      }[],
  );
  expect(runs).toHaveLength(1);
  expect(runs[0]?.error).toContain('`licbridge objection resolve --upheld` was stopped (SIGTERM)');
});

it('an uphold beside a run of the pipeline is refused naming its own command', async () => {
  const { objection } = await demo.objected({ notObjected: true });
  const rt = new Runtime(demo.config, quietLogger());
  const busy = { pipeline: PIPELINE, runId: 'run-beside-uphold' };
  let failure: unknown;
  try {
    const ledger = await rt.ledger();
    // A run of the pipeline works (`licbridge run` took the pipeline for it).
    await ledger.startRun({ ...busy, mode: 'incremental' });
    await holdPipelines(ledger, [busy]);
    try {
      failure = await failureOf(
        upholdObjection(rt, objection.objectionId, '已更正', { logger: quietLogger() }),
      );
    } finally {
      await ledger.finishRun(busy.runId, { state: 'done' });
      await releasePipelines(ledger, [busy]);
    }
  } finally {
    await rt.close();
  }
  expect(failure).toMatchObject({ code: 'LB_PIPELINE_BUSY' });
  // The operator ran `objection resolve --upheld`, not `reconcile --repair`.
  expect((failure as Error).message).toMatch(
    /^objection resolve --upheld: re-read of pipeline food-business-licenses: pipeline food-business-licenses is being run by run run-beside-uphold started at .*; nothing was changed$/,
  );
});
