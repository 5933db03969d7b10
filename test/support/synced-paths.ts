/**
 * For a `vi.mock('node:fs/promises', …)` factory: `open` as the real one, whose handles tell
 * `synced` the path each was opened at once their `sync()` has flushed it. A test learns so which
 * files and folders the code flushed, and in what order. Import it inside the factory
 * (`await import(...)`): the factory is hoisted above the test file's imports. This module must not
 * import `node:fs/promises` itself, which the factory is making.
 */
type FsPromises = typeof import('node:fs/promises');

export function openRecordingSyncs(real: FsPromises, synced: (path: string) => void): FsPromises['open'] {
  return async (...args: Parameters<FsPromises['open']>) => {
    const handle = await real.open(...args);
    const sync = handle.sync.bind(handle);
    handle.sync = async () => {
      await sync();
      synced(String(args[0]));
    };
    return handle;
  };
}
