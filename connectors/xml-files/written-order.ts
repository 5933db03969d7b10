/**
 * File-name order against the order files were written in. Files are read in file-name order
 * (order.ts), and on equal cursors, or without a cursor, a key's record in the file that sorts
 * later supersedes the one in the file that sorts earlier. An export named to sort before one
 * written earlier (a tool's counter reset, `SPXK_9.xml` written after `SPXK_10.xml`, a re-export
 * of an old day) is the newer one, and its records lose to the older export's without a word.
 * The modification time is the only sign of it a folder keeps: where it disagrees, the run says
 * so once, naming the two files and both times. Names and times only, never a value.
 */
import type { Logger } from '../../core/logger.js';

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
  /** How many other files sort after a file written later than they were. */
  more: number;
}

/**
 * The first file, in file-name order, written before a file whose name sorts before it (paired
 * with the latest written of those); null when the two orders agree. `files` are in file-name
 * order. Only pairs holding a file of `read` count: the others were told of by the run that read
 * them, and a folder's old files would otherwise be told of on every run for good.
 */
export function writtenOutOfOrder(
  files: readonly WrittenFile[],
  read: ReadonlySet<string>,
): WrittenOutOfOrder | null {
  let latest: WrittenFile | null = null;
  let latestRead: WrittenFile | null = null;
  let first: WrittenOutOfOrder | null = null;
  let count = 0;
  for (const file of files) {
    const against = read.has(file.name) ? latest : latestRead;
    if (against && against.mtimeMs > file.mtimeMs) {
      count++;
      first ??= { namedFirst: against, writtenFirst: file, more: 0 };
    }
    if (!latest || file.mtimeMs > latest.mtimeMs) latest = file;
    if (read.has(file.name) && (!latestRead || file.mtimeMs > latestRead.mtimeMs)) latestRead = file;
  }
  return first && { ...first, more: count - 1 };
}

/** Tells of files written out of file-name order: one line per read of the folder. */
export function warnWrittenOrder(logger: Logger, source: string, found: WrittenOutOfOrder | null): void {
  if (!found) return;
  const { namedFirst, writtenFirst, more } = found;
  const at = (f: WrittenFile) => new Date(f.mtimeMs).toISOString();
  const others =
    more === 0
      ? ''
      : ` (and ${more} more ${more === 1 ? 'file' : 'files'} written before a file named to sort before ${more === 1 ? 'it' : 'them'})`;
  logger.warn(
    {
      source,
      file: namedFirst.name,
      written: at(namedFirst),
      sortsBefore: writtenFirst.name,
      sortsBeforeWritten: at(writtenFirst),
      more,
    },
    `xml-files ${source}: file ${namedFirst.name} was written at ${at(namedFirst)}, after file ${writtenFirst.name} (written at ${at(writtenFirst)}), but its name sorts before it: files are read in file-name order, and on equal cursors, or without a cursor, a key's record in ${writtenFirst.name} supersedes the one in ${namedFirst.name}${others}; name export files so that they sort in the order they are written`,
  );
}
