/**
 * A SQLite front database's file: where a relative `path` points, and whether `config check
 * --connect` can open it for writing (or, with `createTable`, make it) before any row is sent.
 */
import { constants } from 'node:fs';
import { access } from 'node:fs/promises';
import { dirname, isAbsolute, resolve } from 'node:path';
import { ErrorCodes, LicbridgeError } from '../../../core/errors.js';

/** The SQLite database file, a relative `path` resolved against `baseDir` (the config file's folder). */
export function sqliteFileOf(path: string | undefined, baseDir: string | undefined): string {
  return path && !isAbsolute(path) ? resolve(baseDir ?? '.', path) : (path ?? '');
}

/**
 * Checks that target `target`'s SQLite file can be opened for writing; true when it is not there
 * yet and `createTable` will make it at the first run (its folder takes it): nothing to check in it.
 * Throws `LB_TARGET_UNREACHABLE` naming the file otherwise.
 */
export async function sqliteFileMissingToMake(
  target: string,
  file: string,
  createTable: boolean,
): Promise<boolean> {
  // better-sqlite3 would create a missing file: an empty database the check then finds no table in.
  const missing = await access(file, constants.R_OK | constants.W_OK).then(
    () => undefined,
    (e: NodeJS.ErrnoException) => e.code ?? 'unreadable',
  );
  // `createTable` makes the file at the first run: its folder must take it.
  const folder =
    missing === 'ENOENT' && createTable
      ? await access(dirname(file), constants.W_OK).then(
          () => undefined,
          (e: NodeJS.ErrnoException) => e.code ?? 'unwritable',
        )
      : undefined;
  if (missing === 'ENOENT' && createTable && folder === undefined) return true;
  if (folder) {
    throw new LicbridgeError(
      ErrorCodes.TARGET_UNREACHABLE,
      `target ${target}: front database file ${file} cannot be created, its folder cannot be written (${folder}): fix \`targets.${target}.path\``,
      { context: { target } },
    );
  }
  if (missing) {
    throw new LicbridgeError(
      ErrorCodes.TARGET_UNREACHABLE,
      `target ${target}: front database file ${file} cannot be opened for writing (${missing}): fix \`targets.${target}.path\``,
      { context: { target } },
    );
  }
  return false;
}
