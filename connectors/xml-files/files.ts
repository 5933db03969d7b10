/**
 * The export folder: which files are read, in which order, and reading one within the size
 * ceiling. Errors name the folder or file and say what to change.
 */
import { createHash } from 'node:crypto';
import { type FileHandle, open, readdir, stat } from 'node:fs/promises';
import { join, sep } from 'node:path';
import iconv from 'iconv-lite';
import { ErrorCodes, LicbridgeError } from '../../core/errors.js';
import { compareFileNames } from './order.js';

export interface FileBytes {
  name: string;
  size: number;
  /** Lowercase hex SHA-256 of the bytes. */
  sha256: string;
  bytes: Buffer;
  /** When the file was last written (its modification time), in ms since the epoch. */
  mtimeMs: number;
}

/**
 * A glob on file names (`*`, `?`, `[abc]`, `[!abc]`) as a case-insensitive regular expression.
 * As in a shell, a leading dot is matched only by a pattern starting with one: hidden files are
 * no exports — `._SPXK_1.xml`, which macOS leaves beside every file it copies to a share (binary,
 * not XML: read, it stopped every run), and `.SPXK_1.xml`, which copy tools write and rename once
 * complete.
 */
export function globToRegExp(pattern: string): RegExp {
  let re = pattern.startsWith('.') ? '' : '(?!\\.)';
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i] as string;
    if (c === '*') re += '.*';
    else if (c === '?') re += '.';
    else if (c === '[') {
      const end = pattern.indexOf(']', i + 2);
      if (end < 0) {
        re += '\\[';
        continue;
      }
      let set = pattern.slice(i + 1, end);
      if (set.startsWith('!')) set = `^${set.slice(1)}`;
      re += `[${set.replace(/\\/g, '\\\\')}]`;
      i = end;
    } else re += c.replace(/[.+^${}()|\\]/g, '\\$&');
  }
  // Exports made on Windows end in `.XML` as often as `.xml`. `s`: a wildcard matches any
  // character, a newline in a file name too — such a file is read, never skipped silently.
  return new RegExp(`^${re}$`, 'is');
}

function folderError(source: string, folder: string, e: unknown): LicbridgeError {
  const code = (e as { code?: unknown }).code;
  const context = { source, path: folder };
  if (code === 'EACCES' || code === 'EPERM') {
    return new LicbridgeError(
      ErrorCodes.SOURCE_AUTH,
      `xml-files ${source}: open failed: no permission to read folder ${folder}; grant the licbridge user read access`,
      { context, cause: e },
    );
  }
  if (code === 'ENOTDIR') {
    return new LicbridgeError(
      ErrorCodes.SOURCE_UNREACHABLE,
      `xml-files ${source}: open failed: ${folder} is not a folder; \`path\` names the folder of export files`,
      { context, cause: e },
    );
  }
  // A missing folder is often a network share not mounted yet: worth retrying.
  return new LicbridgeError(
    ErrorCodes.SOURCE_UNREACHABLE,
    `xml-files ${source}: open failed: folder ${folder} cannot be read (${String(code ?? 'error')})`,
    { context, cause: e, retryable: true },
  );
}

/**
 * A listed name as text: in UTF-8, and in GB18030 when the bytes are that and read back as the same
 * bytes; each null when the bytes are not that. A Chinese Windows export tool names its files in
 * GBK, and a share mounted without name conversion, or `unzip` of a zip made on Windows, leaves
 * those bytes: read as UTF-8 with replacement characters, the name was no file's, opening it failed
 * as for a file deleted since the listing, and the export was passed over on every run without a
 * word. A short GBK name is often valid UTF-8 too, for other characters (`食品` is CA B3 C6 B7,
 * `ʳƷ` in UTF-8): listFiles takes the reading that matches the pattern. `shown`: both readings,
 * with replacement characters where the bytes are not that, for a name that is neither.
 */
function readingsOf(raw: Buffer): { utf8: string | null; gb: string | null; shown: [string, string] } {
  const utf8 = raw.toString('utf8');
  const gb = iconv.decode(raw, 'gb18030');
  return {
    utf8: Buffer.from(utf8, 'utf8').equals(raw) ? utf8 : null,
    gb: iconv.encode(gb, 'gb18030').equals(raw) ? gb : null,
    shown: [utf8, gb],
  };
}

/**
 * Calls `use` with the path of a listed file: its name in UTF-8, else (not found) in GB18030, the
 * bytes a name read as GB18030 was listed from (readingsOf). Other errors, and not found at either
 * path, are thrown as `use` threw them.
 */
export async function atPath<T>(
  folder: string,
  name: string,
  use: (path: string | Buffer) => Promise<T>,
): Promise<T> {
  const path = join(folder, name);
  // biome-ignore lint/suspicious/noControlCharactersInRegex: ASCII names have one encoding
  if (/^[\x00-\x7f]*$/.test(name)) return use(path);
  try {
    return await use(path);
  } catch (e) {
    if ((e as { code?: unknown }).code !== 'ENOENT') throw e;
    return use(Buffer.concat([Buffer.from(`${folder}${sep}`), iconv.encode(name, 'gb18030')]));
  }
}

/**
 * Whether a symbolic link leads to a regular file (not a folder). A link whose target cannot be
 * reached — dangling because the archive or share it leads into is not mounted, or unreadable —
 * fails the listing, retryable: left out, its export's records were missing from the source's keys,
 * its licenses reported `deleted-at-source`, and a repair could revoke them while the share was down.
 */
async function linksToFile(source: string, folder: string, name: string): Promise<boolean> {
  try {
    return (await atPath(folder, name, (p) => stat(p))).isFile();
  } catch (e) {
    const code = (e as { code?: unknown }).code;
    if (code === 'EACCES' || code === 'EPERM') throw fileError(source, folder, name, e);
    // The target is not named: only the link is the export folder's.
    throw new LicbridgeError(
      ErrorCodes.SOURCE_UNREACHABLE,
      `xml-files ${source}: list failed: file ${name} in folder ${folder} is a symbolic link whose file cannot be reached (${String(code ?? 'error')}): an archive or share not mounted, or the export removed; the folder is not read until it can be, as its records would be taken for deleted. Mount it again, or remove the link if the export was removed on purpose`,
      { context: { source, path: folder, file: name }, cause: e, retryable: true },
    );
  }
}

/**
 * A listed file that cannot be opened or read, named as the file it is: named by the folder's
 * words, a file the export tool left readable by itself only read "no permission to read folder
 * …/SPXK_1.xml", and a read cut off mid-file (a share dropped: EIO, ESTALE) was thrown as the bare
 * system error, which no run retries.
 */
function fileError(source: string, folder: string, name: string, e: unknown): LicbridgeError {
  const code = (e as { code?: unknown }).code;
  const context = { source, path: folder, file: name };
  if (code === 'EACCES' || code === 'EPERM') {
    return new LicbridgeError(
      ErrorCodes.SOURCE_AUTH,
      `xml-files ${source}: read failed: no permission to read file ${name} in folder ${folder}; grant the licbridge user read access to the export files`,
      { context, cause: e },
    );
  }
  return new LicbridgeError(
    ErrorCodes.SOURCE_UNREACHABLE,
    `xml-files ${source}: read failed: file ${name} in folder ${folder} cannot be read (${String(code ?? 'error')}); the next attempt reads it again`,
    { context, cause: e, retryable: true },
  );
}

function unreadableName(source: string, folder: string, shown: string): LicbridgeError {
  return new LicbridgeError(
    ErrorCodes.SOURCE_SCHEMA,
    `xml-files ${source}: list failed: folder ${folder} holds a file whose name is neither UTF-8 nor GB18030 (${shown}); rename it`,
    { context: { source, path: folder } },
  );
}

/**
 * Names of the regular files matching `pattern`, in file-name order (order.ts: numbers by value,
 * the rest in code-unit order, stable across locales). `readAsGb18030` is told each name that is
 * valid UTF-8 but was read as GB18030, the only reading of it that matches `pattern`. A
 * symbolic link to a file counts as the file: folders of links into an archive or a mounted share
 * are common, and leaving them out would leave their records unread without a word.
 */
export async function listFiles(
  source: string,
  folder: string,
  pattern: RegExp,
  readAsGb18030: (name: string) => void = () => {},
): Promise<string[]> {
  let entries: import('node:fs').Dirent<Buffer>[];
  try {
    entries = await readdir(folder, { withFileTypes: true, encoding: 'buffer' });
  } catch (e) {
    throw folderError(source, folder, e);
  }
  const names: string[] = [];
  for (const d of entries) {
    const { utf8, gb, shown } = readingsOf(d.name);
    if (utf8 === null && gb === null) {
      // Matched as either reading shows it, with replacement characters: a name no pattern
      // matches is no export. A GBK name with a byte no encoding has (`食品_\xFF.xml`) matches a
      // Chinese pattern only as GB18030 shows it; tried as UTF-8 alone it was passed over for good.
      const matched = shown.find((n) => pattern.test(n));
      if (matched !== undefined) throw unreadableName(source, folder, matched);
      continue;
    }
    // UTF-8 first, as before (a name already recorded as read keeps its name); GB18030 when only
    // that reading matches: a GBK name valid in UTF-8 as other characters was passed over for good.
    let name: string;
    if (utf8 !== null && pattern.test(utf8)) name = utf8;
    else if (gb !== null && pattern.test(gb)) {
      name = gb;
      if (utf8 !== null) readAsGb18030(gb);
    } else continue;
    if (d.isFile() || (d.isSymbolicLink() && (await linksToFile(source, folder, name)))) names.push(name);
  }
  names.sort(compareFileNames);
  // One name in UTF-8 and the same in GB18030: the two files would be read as one.
  const twice = names.find((n, i) => names[i + 1] === n);
  if (twice !== undefined) {
    throw new LicbridgeError(
      ErrorCodes.SOURCE_SCHEMA,
      `xml-files ${source}: list failed: folder ${folder} holds two files named ${twice}, one in UTF-8 and one in GB18030; rename one`,
      { context: { source, path: folder } },
    );
  }
  return names;
}

/**
 * Reads one file whole, refusing it before reading when it is above `maxBytes` (and again if it
 * grew before being read). A file that vanished since the listing gives `null`.
 */
export async function readFileBytes(
  source: string,
  folder: string,
  name: string,
  maxBytes: number,
): Promise<FileBytes | null> {
  let handle: FileHandle;
  try {
    handle = await atPath(folder, name, (p) => open(p, 'r'));
  } catch (e) {
    if ((e as { code?: unknown }).code === 'ENOENT') return null;
    throw fileError(source, folder, name, e);
  }
  const failed = (e: unknown): never => {
    throw fileError(source, folder, name, e);
  };
  try {
    const { size, mtimeMs } = await handle.stat().catch(failed);
    const tooBig = (n: number | null) =>
      new LicbridgeError(
        ErrorCodes.SOURCE_SCHEMA,
        `xml-files ${source}: read failed: file ${name} ${n === null ? 'grew past' : `is ${n} bytes, above`} \`maxFileBytes\` ${maxBytes}${n === null ? ' while it was read (an export still being written, or one that large)' : ''}; split the export or raise \`maxFileBytes\``,
        { context: { source, file: name } },
      );
    if (size > maxBytes) throw tooBig(size);
    // One byte past the ceiling at most: a file that grew since the stat (an export still being
    // written) was read to its end, however far that was, and held whole in memory.
    const bytes = await readAtMost(handle, maxBytes + 1, size).catch(failed);
    if (bytes.length > maxBytes) throw tooBig(null);
    const length = bytes.length;
    return { name, size: length, sha256: createHash('sha256').update(bytes).digest('hex'), bytes, mtimeMs };
  } finally {
    await handle.close();
  }
}

/**
 * The file's bytes from its start, `limit` at most; `size`: what its stat said. One buffer, sized
 * for the stat's size and one byte more (to see growth) and grown by doubling, up to `limit`: a
 * buffer a read each, as the reads of a pipe or of a file still being written come a few KiB at a
 * time, held 64 KiB a read, many times the ceiling in memory before it was reached.
 */
export async function readAtMost(
  handle: Pick<FileHandle, 'read'>,
  limit: number,
  size: number,
): Promise<Buffer> {
  let buffer = Buffer.allocUnsafe(Math.min(limit, size + 1));
  let total = 0;
  for (;;) {
    if (total === buffer.length) {
      if (total >= limit) break;
      const grown = Buffer.allocUnsafe(Math.min(limit, Math.max(total * 2, 1 << 16)));
      buffer.copy(grown, 0, 0, total);
      buffer = grown;
    }
    const { bytesRead } = await handle.read(buffer, total, buffer.length - total, null);
    if (bytesRead === 0) break;
    total += bytesRead;
  }
  return buffer.subarray(0, total);
}

/** Checks that the folder can be listed. */
export async function checkFolder(source: string, folder: string): Promise<void> {
  try {
    await readdir(folder);
  } catch (e) {
    throw folderError(source, folder, e);
  }
}
