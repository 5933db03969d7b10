/**
 * A page's rows mapped for its commit, as every page is mapped — the run's pages
 * (stages/extract.ts) and the rows of quarantined keys read again (../quarantine-recheck.ts): rows
 * the connector could not decode and rows that do not map are quarantined with their reasons, keys
 * the ledger cannot store are set apart, and renewals get the identifier of the license they
 * continue (or are quarantined when the pipeline holds none).
 */
import type { SourceRow } from '../../connectors/source.js';
import type { ErrorContext } from '../../core/errors.js';
import type { Ledger, QuarantineCandidate, VersionCandidate, VersionLedger } from '../../ledger/ledger.js';
import { setNulKeysApart } from '../../ledger/nul-text.js';
import { resolvePredecessors } from '../lifecycle/predecessors.js';
import type { PipelineParts } from '../runtime.js';

export interface MappedPage {
  /** Ready to commit: predecessors resolved. */
  candidates: VersionCandidate[];
  quarantined: QuarantineCandidate[];
}

export async function mapPage(
  parts: PipelineParts,
  ledger: VersionLedger & Pick<Ledger, 'keysHoldNul'>,
  rows: readonly SourceRow[],
  runId: string,
): Promise<MappedPage> {
  const candidates: VersionCandidate[] = [];
  const quarantined: QuarantineCandidate[] = [];
  for (const row of rows) {
    // A row the connector could not decode (charset, oversized value) is quarantined with the
    // column and reason instead of being mapped from a value it had to drop.
    if (row.problems?.length) {
      quarantined.push({
        sourceKey: row.key,
        reasons: row.problems.map((p) => ({ code: p.code, message: p.message, column: p.column })),
      });
      continue;
    }
    const result = mapRow(parts, row, runId);
    if (result.ok) candidates.push(result.candidate);
    else quarantined.push({ sourceKey: row.key, reasons: result.reasons });
  }
  // A key the ledger cannot store (a NUL on PostgreSQL) first: its row is never a license, so
  // no renewal in the page may continue it.
  const storable = ledger.keysHoldNul
    ? candidates
    : setNulKeysApart(candidates, quarantined, parts.config.stream.key);
  // Renewals, changes and transfers-in get the identifier of the license they continue.
  const ready = await resolvePredecessors(ledger, parts.name, storable, quarantined);
  return { candidates: ready, quarantined };
}

type MapOutcome = ReturnType<PipelineParts['mapper']>;

/** The mapper never throws by contract; a bug that does still quarantines the row instead of killing the run. */
function mapRow(parts: PipelineParts, row: SourceRow, runId: string): MapOutcome {
  try {
    return parts.mapper(row, runId);
  } catch (cause) {
    const context: ErrorContext = { pipeline: parts.name, recordKey: row.key };
    return {
      ok: false,
      reasons: [
        {
          code: 'LB_INTERNAL',
          message: `mapping: unexpected failure: ${cause instanceof Error ? cause.name : 'error'}`,
          path: String(context.pipeline),
        },
      ],
    };
  }
}
