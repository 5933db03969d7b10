/**
 * A run's export files whose records all leave out elements the config names (connectors/source.ts
 * `Page.warnings`), counted in the page's transaction like the run's other counts (migration 031).
 *
 * The connector tells of a file on the first page it reads of it. A read resumed inside the file
 * (a retried extract job, a crash mid-file) reads a later page first and tells of the file again;
 * so does a resumed read that reads a file whole again (one whose records were passed over, not yet
 * recorded as read). Each file is therefore counted once per run, keyed by (run, file) in
 * `run_absent_files`, instead of once per telling.
 */
import type { Knex } from 'knex';
import { parseJson } from './db.js';

/**
 * The distinct element names kept per run. The config names them (a cursor and `fields`), so there
 * are few; the bound only keeps a run's row small whatever comes. The summary line shows the first
 * `ABSENT_ELEMENT_NAMES_SHOWN` and how many more (cli/summary.ts).
 */
export const ABSENT_ELEMENT_NAMES_KEPT = 1000;

/** A file read with elements the config names in none of its records, null in its rows. */
export interface AbsentElementsInFile {
  file: string;
  elements: readonly string[];
}

/** What a run counted: its files read with absent elements, and the distinct element names. */
export interface RunAbsentElements {
  files: number;
  elements: string[];
}

/**
 * Counts the page's files the run has not counted yet, and adds their element names. Runs after
 * the run's counts are incremented: on PostgreSQL the run's row is then locked by this transaction,
 * so the names' read and write cannot interleave with another page's.
 */
export async function countAbsentElements(
  trx: Knex.Transaction,
  runId: string,
  files: readonly AbsentElementsInFile[] | undefined,
): Promise<void> {
  if (!files || files.length === 0) return;
  const byFile = new Map(files.map((f) => [f.file, f.elements]));
  const inserted: { file: string }[] = await trx('run_absent_files')
    .insert([...byFile.keys()].map((file) => ({ run_id: runId, file })))
    .onConflict(['run_id', 'file'])
    .ignore()
    .returning(['file']);
  if (inserted.length === 0) return;
  const row: { absent_elements: string | null } | undefined = await trx('runs')
    .select('absent_elements')
    .where({ run_id: runId })
    .first();
  const names = readNames(row?.absent_elements ?? null);
  for (const { file } of inserted) {
    for (const name of byFile.get(file) ?? []) {
      if (names.length < ABSENT_ELEMENT_NAMES_KEPT && !names.includes(name)) names.push(name);
    }
  }
  await trx('runs')
    .where({ run_id: runId })
    .update({
      absent_files: trx.raw('absent_files + ?', [inserted.length]),
      absent_elements: JSON.stringify(names),
    });
}

/** The run's count as `RunCounts.absentElements`; undefined when it read no such file. */
export function runAbsentElements(files: number, elements: string | null): RunAbsentElements | undefined {
  if (files <= 0) return undefined;
  return { files, elements: readNames(elements) };
}

function readNames(text: string | null): string[] {
  return text === null ? [] : parseJson<string[]>(text);
}
