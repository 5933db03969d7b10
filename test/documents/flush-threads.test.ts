// The store's flushing threads (flush-threads.ts): each flush sent is made and answered once, with
// the failure of a flush that failed, however many are in flight; the threads never hold the
// process open.
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import { closeSync, openSync, readFileSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import * as util from 'node:util';
import * as threads from 'node:worker_threads';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { flushThreads } from '../../adapters/documents/flush-threads.js';
import { makeTempDir } from '../signers/helpers.js';

const flushed = (fsync: ReturnType<typeof flushThreads>, fd: number) =>
  new Promise<NodeJS.ErrnoException | null>((resolve) => fsync(fd, resolve));

describe('flushing on the store’s threads', () => {
  let dir: string;
  let cleanup: () => void;
  beforeEach(() => {
    ({ dir, cleanup } = makeTempDir());
  });
  afterEach(() => cleanup());

  it('answers every flush once, more in flight than the ring holds', async () => {
    // The ring holds 1,024; past it, flushes go through libuv's pool. Each file written and
    // flushed, answered without a failure, and no answer twice.
    const fsync = flushThreads(threads, fs, util, 4);
    const fds = Array.from({ length: 1500 }, (_, k) => {
      const fd = openSync(join(dir, `f${k}`), 'wx', 0o600);
      writeSync(fd, `file ${k}`);
      return fd;
    });
    const answers = new Array<number>(fds.length).fill(0);
    const results = await Promise.all(
      fds.map(
        (fd, k) =>
          new Promise<NodeJS.ErrnoException | null>((resolve) =>
            fsync(fd, (e) => {
              answers[k] = (answers[k] as number) + 1;
              resolve(e);
            }),
          ),
      ),
    );
    for (const fd of fds) closeSync(fd);
    expect(results.every((e) => e === null)).toBe(true);
    expect(answers.every((n) => n === 1)).toBe(true);
    expect(readFileSync(join(dir, 'f1499'), 'utf8')).toBe('file 1499');
    // The ring's slots free again: the next flushes go out on the threads as before.
    const fd = openSync(join(dir, 'again'), 'wx', 0o600);
    expect(await flushed(fsync, fd)).toBeNull();
    closeSync(fd);
  });

  it('answers a flush that failed with its error, and the flushes beside it without one', async () => {
    const fsync = flushThreads(threads, fs, util, 2);
    const good = openSync(join(dir, 'good'), 'wx', 0o600);
    // A descriptor nothing is open at (one closed here could be taken again by a thread's own).
    const gone = 1_000_000;
    const [bad, fine] = await Promise.all([flushed(fsync, gone), flushed(fsync, good)]);
    closeSync(good);
    expect(bad?.code).toBe('EBADF');
    expect(bad?.syscall).toBe('fsync');
    expect(fine).toBeNull();
  });

  it('lets the process end while its threads wait for work', () => {
    // A process that flushed one file and has nothing left to do ends by itself. The function's
    // source text is the code (self-contained, as the writing thread runs it).
    const script = `
      const fs = require('node:fs');
      const fsync = (${flushThreads.toString()})(require('node:worker_threads'), fs, require('node:util'), 3);
      const fd = fs.openSync(${JSON.stringify(join(dir, 'one'))}, 'wx');
      fsync(fd, (e) => { fs.closeSync(fd); console.log(e === null ? 'flushed' : e.code); });
    `;
    const run = spawnSync(process.execPath, ['-e', script], { encoding: 'utf8', timeout: 60_000 });
    expect(run.error).toBeUndefined();
    expect(run.stdout.trim()).toBe('flushed');
    expect(run.status).toBe(0);
  });
});
