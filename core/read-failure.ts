/**
 * Why a file could not be read, in words a config author acts on: no such file, permission
 * denied, a folder, or else the error code.
 */
export function readFailure(e: unknown): string {
  const code = (e as NodeJS.ErrnoException | undefined)?.code;
  switch (code) {
    case 'ENOENT':
      return 'no such file';
    case 'EACCES':
    case 'EPERM':
      return 'permission denied';
    case 'EISDIR':
      return 'a folder, not a file';
    default:
      return code ?? 'unreadable';
  }
}

/**
 * Why a file could not be written (made beside it and renamed over it, adapters/documents/
 * atomic-file.ts), in words about the file asked for: the system's own message names the
 * temporary file, and its "no such file" is about a file yet to be made.
 */
export function writeFailure(e: unknown): string {
  const code = (e as NodeJS.ErrnoException | undefined)?.code;
  switch (code) {
    case 'EISDIR':
      return 'it is a folder, not a file';
    case 'ENOTDIR':
    case 'EEXIST':
      return 'a part of its path is a file, not a folder';
    case 'ENOENT':
      return 'its folder takes no new file';
    case 'EACCES':
    case 'EPERM':
      return 'permission denied';
    case 'ENOSPC':
    case 'EDQUOT':
      return 'no space left on its disk';
    case 'EROFS':
      return 'its file system is read-only';
    case 'EBUSY':
      return 'it is in use or mounted there, and cannot be replaced';
    default:
      return code ?? 'not writable';
  }
}
