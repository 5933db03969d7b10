/**
 * Another process holding SQLite's write lock on a ledger file: what a ledger write meets when
 * a second licbridge process writes (test/ledger/ledger-retry, test/pipelines/config-ledger).
 */
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { ROOT } from '../support/cli.js';

/**
 * Another process takes SQLite's write lock on `file` and holds it until told to commit (`release`,
 * which resolves with the process's exit), or for `maxMs` at most; resolves once it holds the lock.
 * Its own process, because better-sqlite3 waits out a busy timeout synchronously: the test process
 * could not let the lock go while the ledger's write blocks its thread.
 */
export async function holdWriteLock(file: string, maxMs = 60_000): Promise<{ release(): Promise<unknown> }> {
  const script = `const db = new (require('better-sqlite3'))(process.argv[1]);
db.prepare('BEGIN IMMEDIATE').run();
process.stdout.write('locked\\n');
const commit = () => { db.prepare('COMMIT').run(); db.close(); process.exit(0); };
process.stdin.once('data', commit);
setTimeout(commit, Number(process.argv[2]));`;
  const child = spawn(process.execPath, ['-e', script, file, String(maxMs)], {
    cwd: ROOT,
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  // Told to commit as its timer ends it: the write then meets a closed pipe, which changes nothing.
  child.stdin.on('error', () => undefined);
  const exited = once(child, 'exit');
  await once(child.stdout, 'data');
  return {
    release() {
      if (child.exitCode === null) child.stdin.end('commit\n');
      return exited;
    },
  };
}
