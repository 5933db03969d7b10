/**
 * Quarantine is watched: a run that quarantines a large share of what it read most often met a
 * systematic fault (a wrong encoding, a renamed column, a catalog entry that does not fit the
 * data), not a few typing errors. Above the pipeline's `quarantineAlertShare` a person has to look.
 */
import type { Attention } from './attention.js';

/** Quarantined rows per reason code, most frequent first; a row with two codes counts under both. */
export function quarantineByReason(
  rows: readonly { reasons: readonly { code: string }[] }[],
): Record<string, number> {
  const counts = new Map<string, number>();
  for (const row of rows) {
    for (const code of new Set(row.reasons.map((r) => r.code))) counts.set(code, (counts.get(code) ?? 0) + 1);
  }
  const sorted = [...counts].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1));
  return Object.fromEntries(sorted);
}

/** `LB_MAP_ENCODING 1002, LB_MAP_REQUIRED 60, …`: the top `n` codes of a breakdown. */
export function topReasons(byReason: Readonly<Record<string, number>>, n = 3): string {
  const entries = Object.entries(byReason);
  const shown = entries.slice(0, n).map(([code, count]) => `${code} ${count}`);
  return entries.length > n ? `${shown.join(', ')}, …` : shown.join(', ');
}

/** `byReason` undefined: the breakdown was not read (a `/metrics` scrape), and the message names none. */
export function quarantineShareAttention(
  pipeline: string,
  run: { runId: string; read: number; quarantined: number },
  byReason: Readonly<Record<string, number>> | undefined,
  alertShare: number,
): Attention[] {
  if (run.read <= 0 || run.quarantined / run.read <= alertShare) return [];
  const percent = (share: number) => `${Math.round(share * 1000) / 10} %`;
  return [
    {
      kind: 'quarantine-share',
      message: `pipeline ${pipeline}: run ${run.runId} quarantined ${run.quarantined} of ${run.read} row(s) read (${percent(run.quarantined / run.read)}, above ${percent(alertShare)})${byReason ? `; top reasons: ${topReasons(byReason) || 'none recorded'}` : ''}; a share this large is usually one fault (encoding, a column, the catalog entry): \`licbridge quarantine list --pipeline ${pipeline}\` lists them`,
    },
  ];
}
