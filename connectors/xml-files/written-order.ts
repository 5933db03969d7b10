/**
 * File-name order against the order files were written in. Files are read in file-name order
 * (order.ts), and on equal cursors, or without a cursor, a key's record in the file that sorts
 * later supersedes the one in the file that sorts earlier. An export named to sort before one
 * written earlier (a tool's counter reset, `SPXK_9.xml` written after `SPXK_10.xml`, a re-export
 * of an old day) is the newer one, and its records lose to the older export's without a word.
 * The modification time is the only sign of it a folder keeps.
 *
 * The name order decides only a key whose latest records tie: equal cursors (or no cursor) in two
 * files. Where the records differ and the file written later is named first, the run keeps the
 * older export's record: that is when the run says so, once, naming the two files, both times and
 * how many keys. A stream with a cursor that every change moves, or exports that carry a key
 * unchanged (a daily full export), never tie with different records: nothing is told. Names,
 * times and counts only, never a value.
 */
import { createHash } from 'node:crypto';
import type { Logger } from '../../core/logger.js';
import type { StreamSpec } from '../source.js';
import type { ExportFolder } from './export-folder.js';
import { compareCursorValues, compareFileNames } from './order.js';
import { toRow } from './record-rows.js';
import type { XmlRecord } from './records.js';

/** A file as listed, with the time it was last written (`mtime`). */
export interface WrittenFile {
  name: string;
  mtimeMs: number;
}

/** Two files whose names and modification times are in opposite orders. */
export interface WrittenOutOfOrder {
  /** The file that sorts first by name, though written later. */
  namedFirst: WrittenFile;
  /** The file that sorts after it, though written before it. */
  writtenFirst: WrittenFile;
  /** How many keys' records in `writtenFirst` supersede different records of later-written files. */
  keys: number;
  /** How many other files' records supersede different records of a file written later. */
  more: number;
}

/**
 * Whether, in file-name order, a file is written before a file whose name sorts before it. Only
 * pairs holding a file of `read` count: the others were told of by the run that read them, and a
 * folder's old files would otherwise be told of on every run for good. `files` are in file-name
 * order. Names and times only: when they agree, no tie can be decided against the written order.
 */
export function namesOutOfWrittenOrder(files: readonly WrittenFile[], read: ReadonlySet<string>): boolean {
  let latest: WrittenFile | null = null;
  let latestRead: WrittenFile | null = null;
  for (const file of files) {
    const against = read.has(file.name) ? latest : latestRead;
    if (against && against.mtimeMs > file.mtimeMs) return true;
    if (!latest || file.mtimeMs > latest.mtimeMs) latest = file;
    if (read.has(file.name) && (!latestRead || file.mtimeMs > latestRead.mtimeMs)) latestRead = file;
  }
  return false;
}

/** A key's latest record by file-name order and by written order, among its records of equal cursor. */
interface Tie {
  cursor: string | null;
  byName: { file: WrittenFile; digest: string };
  byWritten: { file: WrittenFile; digest: string };
}

/**
 * A record's content as its row carries it: its values, whatever the order of its elements; an
 * empty element and an absent one are both null to the mapping.
 */
function digestOf(values: Readonly<Record<string, string | null>>): string {
  const entries = Object.entries(values)
    .filter(([, v]) => v !== null)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return createHash('sha256').update(JSON.stringify(entries)).digest('base64');
}

/**
 * The keys whose latest record the file-name order takes from another file than the written order
 * would, with different content. Records are added in file-name order, each file's in document
 * order: a later one wins by name on equal cursors; by written order, a later one wins unless its
 * file was written before the winner's (equal times keep the name order).
 */
export class WrittenTies {
  readonly #ties = new Map<string, Tie>();

  add(
    key: string,
    cursor: string | null,
    file: WrittenFile,
    values: Readonly<Record<string, string | null>>,
  ) {
    const seen = this.#ties.get(key);
    const c = seen ? compareCursorValues(cursor, seen.cursor) : 1;
    if (c < 0) return;
    const record = { file, digest: digestOf(values) };
    if (!seen || c > 0) {
      this.#ties.set(key, { cursor, byName: record, byWritten: record });
      return;
    }
    seen.byName = record;
    if (file.mtimeMs >= seen.byWritten.file.mtimeMs) seen.byWritten = record;
  }

  /** The first file (by name) whose records win against a later-written file's; null when none. */
  result(read: ReadonlySet<string>): WrittenOutOfOrder | null {
    const winners = new Map<WrittenFile, { namedFirst: WrittenFile; keys: number }>();
    for (const { byName, byWritten } of this.#ties.values()) {
      if (byName.digest === byWritten.digest) continue;
      // A pair of files both read by earlier runs was told of by them.
      if (!read.has(byName.file.name) && !read.has(byWritten.file.name)) continue;
      const seen = winners.get(byName.file);
      if (!seen) winners.set(byName.file, { namedFirst: byWritten.file, keys: 1 });
      else {
        seen.keys++;
        if (byWritten.file.mtimeMs > seen.namedFirst.mtimeMs) seen.namedFirst = byWritten.file;
      }
    }
    let first: WrittenOutOfOrder | null = null;
    for (const [writtenFirst, { namedFirst, keys }] of winners) {
      if (!first || compareFileNames(writtenFirst.name, first.writtenFirst.name) < 0) {
        first = { namedFirst, writtenFirst, keys, more: winners.size - 1 };
      }
    }
    return first;
  }
}

/**
 * Which files' records win by name over different records of a file written later, for a run's
 * read. `written`: every file the read listed (read or skipped as read before), in file-name order,
 * with its modification time. Only when names and times disagree are the files parsed again (the
 * ones skipped too: their records are the ledger's), so a folder named in written order costs
 * nothing more.
 */
export async function writtenOrderTies(
  folder: ExportFolder,
  stream: StreamSpec,
  written: readonly WrittenFile[],
  read: ReadonlySet<string>,
  signal?: AbortSignal,
): Promise<WrittenOutOfOrder | null> {
  if (!namesOutOfWrittenOrder(written, read)) return null;
  const ties = new WrittenTies();
  for (const file of written) {
    signal?.throwIfAborted();
    const bytes = await folder.readBytes(file.name);
    if (!bytes) continue;
    let records: readonly XmlRecord[];
    try {
      records = folder.parse(bytes).parsed.records;
    } catch {
      // Changed since it was read (the read itself stops on it): it decides no tie here.
      continue;
    }
    for (const r of records) {
      const { row, cursor } = toRow(stream, file.name, r);
      ties.add(row.key, cursor, file, r.values);
    }
  }
  return ties.result(read);
}

/** Tells of files written out of file-name order: one line per read of the folder. */
export function warnWrittenOrder(logger: Logger, source: string, found: WrittenOutOfOrder | null): void {
  if (!found) return;
  const { namedFirst, writtenFirst, keys, more } = found;
  const at = (f: WrittenFile) => new Date(f.mtimeMs).toISOString();
  const records = keys === 1 ? "1 key's record" : `${keys} keys' records`;
  const others =
    more === 0
      ? ''
      : ` (and ${more} more ${more === 1 ? 'file whose records supersede' : 'files whose records supersede'} different records of a file written later)`;
  logger.warn(
    {
      source,
      file: namedFirst.name,
      written: at(namedFirst),
      sortsBefore: writtenFirst.name,
      sortsBeforeWritten: at(writtenFirst),
      keys,
      more,
    },
    `xml-files ${source}: file ${namedFirst.name} was written at ${at(namedFirst)}, after file ${writtenFirst.name} (written at ${at(writtenFirst)}), but its name sorts before it: files are read in file-name order, and on equal cursors, or without a cursor, ${records} in ${writtenFirst.name} ${keys === 1 ? 'supersedes a different one' : 'supersede different ones'} in ${namedFirst.name}${others}; name export files so that they sort in the order they are written`,
  );
}
