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
import { stat } from 'node:fs/promises';
import type { Logger } from '../../core/logger.js';
import type { StreamSpec } from '../source.js';
import type { ExportFolder } from './export-folder.js';
import { atPath } from './files.js';
import { compareCursorValues, compareFileNames } from './order.js';
import { recordCursor, recordKey } from './record-rows.js';
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

/**
 * A key's latest record by file-name order (`name…`) and by written order (`written…`), among its
 * records of its newest cursor: the file, the record's index in it and a digest of its content.
 * One flat object per key, digests as small integers: a first or `--full` read of a folder out of
 * order holds one per key, beside the read's own (a million keys: some 70 MB, where an object per
 * record and a SHA-256 string each took 200 MB).
 */
interface Tie {
  cursor: string | null;
  nameFile: WrittenFile;
  nameIndex: number;
  nameDigest: number;
  writtenFile: WrittenFile;
  writtenIndex: number;
  writtenDigest: number;
}

/**
 * A record's content as its row carries it: its values, whatever the order of its elements; an
 * empty element and an absent one are both null to the mapping. Each element's name and value
 * hashed (FNV-1a), the hashes added, cut to 30 bits (a small integer, held in the object itself):
 * two different records of one key read as the same once in a billion, which leaves that key out
 * of the warning's count.
 */
function digestOf(values: Readonly<Record<string, string | null>>): number {
  let sum = 0;
  for (const name in values) {
    const value = values[name];
    if (value === null || value === undefined) continue;
    let h = 0x811c9dc5;
    for (let i = 0; i < name.length; i++) h = Math.imul(h ^ name.charCodeAt(i), 0x01000193);
    // A separator no name holds: `A`+`BC` and `AB`+`C` differ.
    h = Math.imul(h ^ 0xffff, 0x01000193);
    for (let i = 0; i < value.length; i++) h = Math.imul(h ^ value.charCodeAt(i), 0x01000193);
    sum = (sum + h) | 0;
  }
  return sum >>> 2;
}

/** Whether record (`file`, `index`) comes after (`other`, `otherIndex`) in file-name order, then document order (order.ts). */
function laterByName(file: WrittenFile, index: number, other: WrittenFile, otherIndex: number): boolean {
  return (compareFileNames(file.name, other.name) || index - otherIndex) > 0;
}

/**
 * The keys whose latest record the file-name order takes from another file than the written order
 * would, with different content. Records may be added in any order: among a key's records of its
 * newest cursor, one wins by file name then document order, and one by modification time, equal
 * times keeping the name order.
 */
export class WrittenTies {
  readonly #ties = new Map<string, Tie>();

  /** `heldOnly`: a key not held yet is passed over (WrittenOrderCheck.result). */
  add(key: string, cursor: string | null, file: WrittenFile, r: XmlRecord, heldOnly = false): void {
    const seen = this.#ties.get(key);
    if (!seen && heldOnly) return;
    const c = seen ? compareCursorValues(cursor, seen.cursor) : 1;
    if (c < 0) return;
    const { index } = r;
    if (!seen || c > 0) {
      const digest = digestOf(r.values);
      const tie = {
        cursor,
        nameFile: file,
        nameIndex: index,
        nameDigest: digest,
        writtenFile: file,
        writtenIndex: index,
        writtenDigest: digest,
      };
      this.#ties.set(key, tie);
      return;
    }
    const byName = laterByName(file, index, seen.nameFile, seen.nameIndex);
    const byWritten =
      file.mtimeMs === seen.writtenFile.mtimeMs
        ? laterByName(file, index, seen.writtenFile, seen.writtenIndex)
        : file.mtimeMs > seen.writtenFile.mtimeMs;
    if (!byName && !byWritten) return;
    const digest = digestOf(r.values);
    if (byName) {
      seen.nameFile = file;
      seen.nameIndex = index;
      seen.nameDigest = digest;
    }
    if (byWritten) {
      seen.writtenFile = file;
      seen.writtenIndex = index;
      seen.writtenDigest = digest;
    }
  }

  /** How many keys are held. */
  get size(): number {
    return this.#ties.size;
  }

  /** The first file (by name) whose records win against a later-written file's; null when none. */
  result(read: ReadonlySet<string>): WrittenOutOfOrder | null {
    const winners = new Map<WrittenFile, { namedFirst: WrittenFile; keys: number }>();
    for (const { nameFile, nameDigest, writtenFile, writtenDigest } of this.#ties.values()) {
      if (nameDigest === writtenDigest) continue;
      // A pair of files both read by earlier runs was told of by them.
      if (!read.has(nameFile.name) && !read.has(writtenFile.name)) continue;
      const seen = winners.get(nameFile);
      if (!seen) winners.set(nameFile, { namedFirst: writtenFile, keys: 1 });
      else {
        seen.keys++;
        if (writtenFile.mtimeMs > seen.namedFirst.mtimeMs) seen.namedFirst = writtenFile;
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

function addRecords(
  ties: WrittenTies,
  stream: StreamSpec,
  file: WrittenFile,
  records: readonly XmlRecord[],
  heldOnly = false,
) {
  for (const r of records)
    ties.add(recordKey(stream, file.name, r), recordCursor(stream, r), file, r, heldOnly);
}

/**
 * The written-order check of one run's read. Names and modification times are compared first
 * (a stat per file listed): a folder named in the order it was written notes nothing. Otherwise
 * the records of the files read are noted as the read parses them, and at its end the files it
 * skipped as read before are parsed too (their records are the ledger's), for the keys of the
 * files read only, when one of them, or a file read, is out of order with a file read.
 */
export class WrittenOrderCheck {
  readonly #ties: WrittenTies | null;
  readonly #noted = new Set<string>();
  #used: WrittenTies | null = null;

  private constructor(ties: WrittenTies | null) {
    this.#ties = ties;
  }

  /**
   * `names`: the files the read will list, in file-name order; `skipped`: whether the read will
   * skip a file of that name and size as read before (its files-read record). Files out of order
   * among those skipped were told of by the runs that read them: they turn nothing on, and a
   * folder with one old pair out of order notes no record of the exports read after it in order.
   */
  static async open(
    folder: ExportFolder,
    names: readonly string[],
    skipped: (name: string, size: number) => boolean = () => false,
  ): Promise<WrittenOrderCheck> {
    const listed: WrittenFile[] = [];
    const read = new Set<string>();
    for (const name of names) {
      try {
        const { mtimeMs, size } = await atPath(folder.options.folder, name, (p) => stat(p));
        listed.push({ name, mtimeMs });
        if (!skipped(name, size)) read.add(name);
      } catch {
        // Vanished since the listing: the read passes it over too.
      }
    }
    return new WrittenOrderCheck(namesOutOfWrittenOrder(listed, read) ? new WrittenTies() : null);
  }

  /** Notes a file's records as the read parses it; `file` is the object passed to `result`. */
  note(stream: StreamSpec, file: WrittenFile, records: readonly XmlRecord[]): void {
    if (!this.#ties) return;
    this.#noted.add(file.name);
    addRecords(this.#ties, stream, file, records);
  }

  /**
   * Which files' records win by name over different records of a file written later. `written`:
   * every file the read listed (read or skipped as read before), in file-name order, with its
   * modification time as read; `read`: the files it read.
   */
  async result(
    folder: ExportFolder,
    stream: StreamSpec,
    written: readonly WrittenFile[],
    read: ReadonlySet<string>,
    signal?: AbortSignal,
  ): Promise<WrittenOutOfOrder | null> {
    if (!namesOutOfWrittenOrder(written, read)) return null;
    // Not noted when a file was written again between the listing's times and its read: every
    // file is parsed here then.
    const ties = this.#ties ?? new WrittenTies();
    this.#used = ties;
    const noted = this.#ties ? this.#noted : new Set<string>();
    // The files read first, then the others for the keys those hold only: a key no file read
    // holds ties no record of a file read (WrittenTies.result), and a run reading one new export
    // of a folder of a million keys holds that export's keys, not the folder's.
    for (const ofRead of [true, false]) {
      for (const file of written) {
        if (read.has(file.name) !== ofRead || noted.has(file.name)) continue;
        signal?.throwIfAborted();
        const bytes = await folder.readBytes(file.name);
        if (!bytes) continue;
        let records: readonly XmlRecord[];
        try {
          records = folder.parse(bytes).parsed.records;
        } catch {
          // Changed since it was read, or the file the read stopped at: it decides no tie here.
          continue;
        }
        addRecords(ties, stream, file, records, !ofRead);
      }
    }
    return ties.result(read);
  }

  /** How many keys the check holds: the keys of the files read, at most. */
  get keysHeld(): number {
    return (this.#used ?? this.#ties)?.size ?? 0;
  }
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
