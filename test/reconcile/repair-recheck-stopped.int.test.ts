/**
 * Right before a repair writes its revocations, the source's key set is read once more: a license
 * whose row is back is not ended (source-recheck.ts). A repair told to stop there (SIGTERM, Ctrl-C)
 * went on reading the whole key set with a connector that does not heed the signal (hours on a
 * large source), then wrote every revocation anyway; and a key set that ends quietly when stopped
 * was taken for read out, so a license whose row was past the stop was revoked as gone. The repair
 * now stops at the next chunk of keys, and a key set ended under a stop fails it: no version is
 * written, its run ends `abandoned` and the pipeline is let go, as a repair stopped elsewhere.
 */
import { describe, expect, it } from 'vitest';
import type { StreamSpec } from '../../connectors/source.js';
import { createLogger } from '../../core/logger.js';
import { applyRepairs } from '../../pipelines/reconcile/apply-repairs.js';
import { RunStopped } from '../../pipelines/run-stop.js';
import { Runtime } from '../../pipelines/runtime.js';
import {
  REVOKE_PIPELINE as PIPELINE,
  planRevocation,
  useRevokeWorkspace,
} from '../support/revoke-workspace.js';

const logger = createLogger({ level: 'silent' });

const fixture = useRevokeWorkspace({ seed: 71 }, logger);

describe.each([
  ['that does not heed the signal', false],
  ['whose key set ends quietly when stopped', true],
])('a repair stopped while it reads the source again, with a connector %s', (_name, endsQuietly) => {
  it('writes no revocation, and its run is abandoned', async () => {
    const rt = new Runtime(fixture.config, logger);
    try {
      // One row deleted for each case: the earlier case's, still gone, is planned again.
      const { ledger, gone, plan } = await planRevocation(rt, fixture.ws);
      const ending = plan.items.filter((i) => i.action === 'revoke').map((i) => i.difference.licenseId);
      expect(ending).toContain(gone.licenseId);
      const statusOf = async () =>
        (await ledger.pipelineLicenses(PIPELINE))
          .filter((l) => ending.includes(l.licenseId))
          .map((l) => [l.licenseId, l.status, l.version]);
      const before = await statusOf();
      expect(before.every(([, status]) => status === 'valid')).toBe(true);
      // The key set in chunks of one, the stop asked for as the first comes; the signal not heeded.
      const stop = new AbortController();
      const parts = await rt.pipeline(PIPELINE);
      const keys = parts.source.keys.bind(parts.source);
      parts.source.keys = async function* (stream: StreamSpec) {
        for await (const chunk of keys(stream, { chunkSize: 1 })) {
          yield chunk;
          stop.abort('SIGTERM');
          if (endsQuietly) return;
        }
      };
      const e = await applyRepairs(rt, plan, { logger, stop: stop.signal }).then(
        () => new Error('the repair was stopped; it should not have completed'),
        (err: unknown) => err,
      );
      expect(e).toBeInstanceOf(RunStopped);
      const runId = (e as RunStopped).runs[0]?.runId ?? '';
      expect((await ledger.getRun(runId))?.state).toBe('abandoned');
      expect(await ledger.pipelineLeases.holderOf(PIPELINE)).toBeNull();
      expect(await statusOf()).toEqual(before);
    } finally {
      await rt.close();
    }
  }, 120_000);
});
