/**
 * The export folder: which files are read, in which order, and reading one within the size
 * ceiling. Errors name the folder or file and say what to change.
 */
import { createHash } from 'node:crypto';
import { open, readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
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

/** Whether a symbolic link leads to a regular file (a dangling link is like a file gone). */
async function linksToFile(path: string): Promise<boolean> {
  try {
    return (await stat(path)).isFile();
  } catch {
    return false;
  }
}

/**
 * Names of the regular files matching `pattern`, in file-name order (order.ts: numbers by value,
 * the rest in code-unit order, stable across locales). A
 * symbolic link to a file counts as the file: folders of links into an archive or a mounted share
 * are common, and leaving them out would leave their records unread without a word.
 */
export async function listFiles(source: string, folder: string, pattern: RegExp): Promise<string[]> {
  let entries: import('node:fs').Dirent[];
  try {
    entries = await readdir(folder, { withFileTypes: true });
  } catch (e) {
    throw folderError(source, folder, e);
  }
  const names: string[] = [];
  for (const d of entries) {
    if (!pattern.test(d.name)) continue;
    if (d.isFile() || (d.isSymbolicLink() && (await linksToFile(join(folder, d.name))))) names.push(d.name);
  }
  return names.sort(compareFileNames);
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
  const path = join(folder, name);
  let handle: import('node:fs/promises').FileHandle;
  try {
    handle = await open(path, 'r');
  } catch (e) {
    if ((e as { code?: unknown }).code === 'ENOENT') return null;
    throw folderError(source, path, e);
  }
  try {
    const { size, mtimeMs } = await handle.stat();
    const tooBig = (n: number) =>
      new LicbridgeError(
        ErrorCodes.SOURCE_SCHEMA,
        `xml-files ${source}: read failed: file ${name} is ${n} bytes, above \`maxFileBytes\` ${maxBytes}; split the export or raise \`maxFileBytes\``,
        { context: { source, file: name } },
      );
    if (size > maxBytes) throw tooBig(size);
    const bytes = await handle.readFile();
    // The file may have grown between the stat and the read.
    if (bytes.length > maxBytes) throw tooBig(bytes.length);
    const length = bytes.length;
    return { name, size: length, sha256: createHash('sha256').update(bytes).digest('hex'), bytes, mtimeMs };
  } finally {
    await handle.close();
  }
}

/** Checks that the folder can be listed. */
export async function checkFolder(source: string, folder: string): Promise<void> {
  try {
    await readdir(folder);
  } catch (e) {
    throw folderError(source, folder, e);
  }
}
