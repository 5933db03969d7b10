import { join } from 'node:path';
import { encodeKeyPosition } from '../../connectors/key-position.js';
import { createLogger } from '../../core/logger.js';
import type { QuarantineCandidate } from '../../ledger/types-versions.js';
import { openSqliteLedger } from '../ledger/open-sqlite-ledger.js';

/**
 * Writes `quarantined` into the SQLite ledger `ledger.db` in `dir` (a usage config's folder) as
 * one page of a run of `pipeline` that read only those rows, then closes the ledger, so the CLI
 * run after it finds them open.
 */
export async function writeQuarantined(
  dir: string,
  pipeline: string,
  quarantined: QuarantineCandidate[],
  { runId = 'run-1', cursor = 'c1' }: { runId?: string; cursor?: string } = {},
): Promise<void> {
  const ledger = await openSqliteLedger(join(dir, 'ledger.db'), {
    logger: createLogger({ level: 'silent' }),
  });
  try {
    await ledger.startRun({ runId, pipeline, mode: 'incremental' });
    await ledger.commitPage({
      pipeline,
      runId,
      checkpoint: encodeKeyPosition({ cursor, key: 'k' }),
      rowsRead: quarantined.length,
      candidates: [],
      quarantined,
    });
  } finally {
    await ledger.close();
  }
}
