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
