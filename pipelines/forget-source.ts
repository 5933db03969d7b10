/**
 * `licbridge source forget <source>`: forgets what licbridge has read of a source, so the next run
 * of each pipeline on it reads the source again from the start, and the state its connector keeps
 * in the ledger (for an export folder, its record of files read). Nothing else changes: licenses,
 * versions and deliveries stay, and the re-read creates no version for a record that is not newer
 * than the one the ledger holds (connectors/xml-files/order.ts).
 *
 * Not while a run of one of those pipelines holds it (pipeline-lease.ts): its next page put its
 * checkpoint back, and the source was read on from there, the forget silently undone. It is
 * refused (`PipelineBusy`, exit 4), naming the pipeline and the run, and nothing is forgotten. A run
 * that takes the pipeline between that look and the forget (or one past its lease) commits no page
 * read after the forgotten checkpoint (ledger/commit-page-chain.ts): it reads no further.
 */
import { ErrorCodes, LicbridgeError } from '../core/errors.js';
import { busyMessage, liveHolder, PipelineBusy } from './pipeline-lease.js';
import { RECHECK_SCOPE } from './quarantine-recheck.js';
import type { Runtime } from './runtime.js';

export interface ForgetResult {
  source: string;
  /** Connector state entries forgotten: for an export folder, one per file read (0 for SQL kinds). */
  files: number;
  /** Pipelines whose checkpoint was reset. */
  pipelines: string[];
}

export async function forgetSource(rt: Runtime, source: string): Promise<ForgetResult> {
  const cfg = rt.config.sources[source];
  if (!cfg) {
    const known = Object.keys(rt.config.sources).join(', ') || 'none';
    throw new LicbridgeError(
      ErrorCodes.USAGE,
      `source forget: unknown source \`${source}\` (defined: ${known})`,
    );
  }
  const ledger = await rt.ledger();
  const pipelines = Object.entries(rt.config.pipelines)
    .filter(([, p]) => p.source === source)
    .map(([name]) => name);
  for (const p of pipelines) {
    const held = await liveHolder(ledger, p);
    if (held) {
      throw new PipelineBusy(
        held,
        busyMessage(
          held,
          'source forget',
          `nothing was forgotten; forget ${source} once that run's process has let the pipeline go (licbridge status shows the run holding it)`,
        ),
      );
    }
  }
  // The checkpoints first: a run that starts in between reads from the start, which is harmless.
  for (const p of pipelines) await ledger.resetCheckpoint(p);
  // What the quarantine re-read of its pipelines saw (./quarantine-recheck.ts), kept with the
  // source's state: forgotten too, and not counted among the files read.
  await ledger.forgetState(source, RECHECK_SCOPE);
  // Whatever state the source's connector keeps, whatever its kind: the ledger holds it opaque.
  const files = await ledger.forgetState(source);
  rt.logger.info({ source, files, pipelines }, 'source forget: the next run reads the source from the start');
  return { source, files, pipelines };
}
