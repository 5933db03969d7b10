import { terminalJson, terminalSafe } from '../core/terminal-text.js';
import type { RunAbsentElements } from '../ledger/ledger.js';
import type { RunSummary } from '../pipelines/run-pipelines.js';

/** The `--json` shape: `{"runs":[{"pipeline","read","created","unchanged","quarantined","signed","delivered":{…}}]}`. */
export function summaryJson(runs: readonly RunSummary[]): string {
  return terminalJson({
    runs: runs.map((r) => ({
      pipeline: r.pipeline,
      runId: r.runId,
      state: r.state,
      read: r.read,
      created: r.created,
      unchanged: r.unchanged,
      quarantined: r.quarantined,
      signed: r.signed,
      delivered: r.delivered,
      deadLettered: r.deadLettered,
      ...(r.discarded ? { discarded: r.discarded } : {}),
      ...(r.inReview ? { inReview: r.inReview } : {}),
      ...(r.error ? { error: r.error } : {}),
      ...(r.check ? { check: r.check } : {}),
      ...(r.recovered ? { recovered: r.recovered } : {}),
      ...(r.quarantineByReason ? { quarantineByReason: r.quarantineByReason } : {}),
      ...(r.absentElements && r.absentElements.files > 0 ? { absentElements: r.absentElements } : {}),
    })),
  });
}

export function summaryTable(runs: readonly RunSummary[]): string {
  const lines: string[] = [];
  for (const r of runs) {
    const adds = r.read === r.created + r.unchanged + r.quarantined;
    const state =
      r.state === 'done' ? 'done' : r.state === 'in-review' ? 'in review at the platform' : 'FAILED';
    lines.push(`pipeline ${r.pipeline}  (run ${r.runId})  ${state}`);
    lines.push(
      `  read ${r.read} = created ${r.created} + unchanged ${r.unchanged} + quarantined ${r.quarantined}${adds ? '' : '  (DOES NOT ADD UP)'}`,
    );
    const reasons = Object.entries(r.quarantineByReason ?? {});
    if (reasons.length > 0)
      lines.push(`  quarantined by reason: ${reasons.map(([code, n]) => `${code} ${n}`).join(', ')}`);
    // Rows read with a value the export left out (an export tool omitting empty elements, read as
    // null, connectors/xml-files/carried.ts): not quarantined, so said here or nowhere.
    if (r.absentElements && r.absentElements.files > 0)
      lines.push(`  ${absentElementsLine(r.absentElements)}`);
    lines.push(`  signed ${r.signed}`);
    for (const [t, n] of Object.entries(r.delivered)) {
      const dead = r.deadLettered[t] ?? 0;
      // A dead letter an operator discarded during the run: said, or the counts leave a gap.
      const discarded = r.discarded?.[t] ?? 0;
      lines.push(
        `  delivered to ${t}: ${n}${dead > 0 ? `  dead-lettered: ${dead}` : ''}${discarded > 0 ? `  discarded: ${discarded}` : ''}`,
      );
    }
    if (r.recovered) {
      // Work a killed or failed earlier run had left, finished by this one.
      const owed = Object.entries(r.recovered.undelivered).map(([t, n]) => `${t} ${n}`);
      lines.push(
        `  finished for earlier runs: unsigned ${r.recovered.unsigned}; undelivered ${owed.join(', ') || '0'}`,
      );
    }
    if (r.inReview) {
      // Not a failure: the platform decides later, and the deliver jobs record its verdicts.
      const reviewing = Object.entries(r.inReview).map(([t, n]) => `${t} ${n}`);
      lines.push(
        `  still in review: ${reviewing.join(', ')}; the platform has not decided them yet: a \`licbridge worker\`, or the next \`licbridge run ${r.pipeline}\`, records its verdicts`,
      );
    }
    if (r.error) lines.push(`  error: ${r.error}`);
    // Only a gap earns a line: a clean check keeps the table as the guides show it.
    if (r.check && 'error' in r.check) lines.push(`  check: ${r.check.error}`);
    else if (r.check && 'notMade' in r.check) lines.push(`  check: ${r.check.notMade}`);
    else if (r.check && r.check.differences > 0)
      lines.push(
        `  check: source ${r.check.sourceKeys} keys, ledger ${r.check.ledgerLicenses} licenses + ${r.check.quarantined} quarantined: ${r.check.differences} apart; run \`licbridge reconcile ${r.pipeline}\` (report ${r.check.reportId})`,
      );
    // No difference, yet a person's to look at: keyless rows' stand-ins no row gives any more.
    if (r.check && 'reportId' in r.check && (r.check.standInsNotSeen ?? 0) > 0)
      lines.push(
        `  check: ${r.check.standInsNotSeen} stand-in key(s) of rows without a key no row gives any more (report ${r.check.reportId}); \`licbridge reconcile ${r.pipeline} --light\` names them, \`licbridge quarantine resolve <stand-in key> --pipeline ${r.pipeline} --reason LB_SOURCE_KEY_MISSING\` closes one whose key was filled in`,
      );
  }
  // A run's error carries a source's or platform's words: no escape sequence gets through.
  return terminalSafe(`${lines.join('\n')}\n`);
}

/** The first `shown` items, comma-separated, then how many more there are ("a, b and 3 more"). */
export function listed(items: readonly string[], shown: number): string {
  const first = items.slice(0, shown).join(', ');
  return items.length > shown ? `${first} and ${items.length - shown} more` : first;
}

/** Element names a summary line shows; the rest are counted ("and N more"). */
export const ABSENT_ELEMENT_NAMES_SHOWN = 50;

/** The export files a run read with elements in none of their records: names, never a value. */
export function absentElementsLine(absent: RunAbsentElements): string {
  const names = listed(
    absent.elements.map((e) => `\`${e}\``),
    ABSENT_ELEMENT_NAMES_SHOWN,
  );
  return `warning: ${absent.files} ${absent.files === 1 ? 'file' : 'files'} read with ${names} in no record, null in their rows (LB_SOURCE_ELEMENT_ABSENT; the log names the files)`;
}
