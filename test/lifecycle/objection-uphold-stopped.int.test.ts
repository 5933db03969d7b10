/**
 * An uphold asked to stop (SIGTERM, SIGINT: `objection resolve --upheld` passes the signal on) stops
 * as a repair does: its re-read's run ends `abandoned`, the pipeline is let go, and the objection
 * stays open with the attempt in the audit chain (`re-read-failed`, code `stopped`). It was applied
 * without a stop: the signal ended the process, its run `running` and the pipeline leased. Needs
 * Redis and the demo workspace.
 */
import { expect, it } from 'vitest';
import { upholdObjection } from '../../pipelines/lifecycle/objection-uphold.js';
import { RunStopped } from '../../pipelines/run-stop.js';
import { Runtime } from '../../pipelines/runtime.js';
import { quietLogger } from '../ops/ops-fixtures.js';
import { failureOf, objectionWorkspace, PIPELINE } from './objection-fixture.js';

const demo = objectionWorkspace(10);

it('an uphold stopped re-reads nothing, lets the pipeline go, leaves no run running and the objection open', async () => {
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
});
