/** What the light and the full check share in making their report. */
import type { ReconcileConfig } from '../../config/types.js';
import { DIFFERENCE_KINDS, type Difference, type DifferenceKind, type ReconcileReport } from './types.js';

/** More of the ledger deleted at the source than `maxRepairShare`: the source needs a look first. */
export function sourceShrunk(
  differences: readonly Difference[],
  sourceKeys: number,
  ledgerLicenses: number,
  settings: ReconcileConfig,
): ReconcileReport['sourceShrunk'] {
  const deleted = differences.filter((d) => d.kind === 'deleted-at-source').length;
  if (deleted === 0 || ledgerLicenses === 0) return undefined;
  const share = deleted / ledgerLicenses;
  return share > settings.maxRepairShare ? { sourceKeys, ledgerLicenses, deleted, share } : undefined;
}

/** The report of a check: its differences counted per kind and per side. */
export function assemble(
  input: Omit<ReconcileReport, 'finishedAt' | 'byKind' | 'byKindAndSide' | 'all' | 'differences'> & {
    differences: Difference[];
  },
): ReconcileReport {
  const byKind = Object.fromEntries(DIFFERENCE_KINDS.map((k) => [k, 0])) as Record<DifferenceKind, number>;
  const byKindAndSide: Record<string, number> = {};
  for (const d of input.differences) {
    byKind[d.kind] += 1;
    const side = `${d.kind}@${d.target ?? 'source'}`;
    byKindAndSide[side] = (byKindAndSide[side] ?? 0) + 1;
  }
  return {
    ...input,
    finishedAt: new Date().toISOString(),
    byKind,
    byKindAndSide,
    differences: input.differences.length,
    all: input.differences,
  };
}
