/**
 * Flushes (fsync) sent out side by side on threads of the store's own, for the writing thread
 * (`place-batch.ts`) on a disk whose flushes wait. libuv's pool runs four calls at a time for the
 * whole process; a flush waits mostly for the device's cache flush, and flushes in flight together
 * share one (the block layer merges them): on this machine's disk (ext4 without a journal, a
 * virtual device) 100 files and some 80 folders took 54–85 ms to flush four at a time and 19–21 ms
 * sixteen at a time (load average 14 on 2 cores; docs/ofd.md, Cost). The flushing threads block
 * in `fsyncSync` and nothing else; they take their work from a ring of descriptors in shared
 * memory (`Atomics.wait`/`notify`: no message, no libuv round trip per flush), and the writing
 * thread learns of each flush's end by `Atomics.waitAsync`.
 *
 * Self-contained ON PURPOSE, like `placeBatch`: `flushThreads` references nothing outside its own
 * body (its modules are parameters), so its source text is the writing thread's code.
 */
import type * as NodeFs from 'node:fs';
import type * as NodeUtil from 'node:util';
import type * as NodeWorkerThreads from 'node:worker_threads';

/** `Atomics.waitAsync` (ES2024; in node since 16), which this project's TypeScript lib does not name. */
interface WaitAsync {
  waitAsync(
    array: Int32Array,
    index: number,
    value: number,
  ): { async: boolean; value: Promise<string> | string };
}

/**
 * An `fsync(fd, done)` like `fs.fsync`, made on `count` threads started on its first call (each
 * a Node thread, some 30 ms of CPU to start: only a disk whose flushes wait ever starts them). More
 * flushes in flight than the ring holds go through `fs.fsync` (libuv's pool), and so does every
 * flush once a thread has failed. The threads hold the process open only while a flush is under
 * way, as libuv's pool does.
 */
export function flushThreads(
  threads: typeof NodeWorkerThreads,
  fs: typeof NodeFs,
  util: typeof NodeUtil,
  count: number,
): (fd: number, done: (e: NodeJS.ErrnoException | null) => void) => void {
  // Slots of the ring, a power of two: a batch sends a chunk's flushes (128) at a time.
  const RING = 1024;
  /** A slot's result while its flush is under way; then 0, or the failure's (negative) errno. */
  const PENDING = 1;
  // [0]: flushes sent; [1]: flushes taken by a thread; [2]: flushes made. All wrap as 32-bit
  // integers.
  const counters = new Int32Array(new SharedArrayBuffer(12));
  const fds = new Int32Array(new SharedArrayBuffer(RING * 4));
  const results = new Int32Array(new SharedArrayBuffer(RING * 4));
  const SOURCE = `
const { workerData } = require('node:worker_threads');
const { fsyncSync } = require('node:fs');
const { counters, fds, results } = workerData;
for (;;) {
  const sent = Atomics.load(counters, 0);
  const taken = Atomics.load(counters, 1);
  if (taken === sent) {
    Atomics.wait(counters, 0, sent);
    continue;
  }
  if (Atomics.compareExchange(counters, 1, taken, (taken + 1) | 0) !== taken) continue;
  const slot = taken & ${RING - 1};
  let result = 0;
  try {
    fsyncSync(Atomics.load(fds, slot));
  } catch (e) {
    result = typeof e?.errno === 'number' && e.errno < 0 ? e.errno : -5;
  }
  Atomics.store(results, slot, result);
  Atomics.add(counters, 2, 1);
  Atomics.notify(counters, 2);
}
`;
  /** Each slot's flush while it is under way: its descriptor and who waits for it. */
  const waiting: ({ fd: number; done: (e: NodeJS.ErrnoException | null) => void } | undefined)[] = [];
  let started = false;
  /** A thread failed or ended: every flush goes through `fs.fsync` from then on. */
  let broken = false;
  let sent = 0;
  /** Flushes under way, and a thread held referenced meanwhile (`Atomics.waitAsync` holds nothing). */
  let inFlight = 0;
  let holder: NodeWorkerThreads.Worker | undefined;
  const failure = (errno: number): NodeJS.ErrnoException => {
    let code: string;
    try {
      code = util.getSystemErrorName(errno);
    } catch {
      code = 'EIO';
    }
    const e: NodeJS.ErrnoException = new Error(`${code}: fsync failed`);
    e.code = code;
    e.errno = errno;
    e.syscall = 'fsync';
    return e;
  };
  // A thread that could not start (or ended) may have taken a flush it never made: each flush
  // still waiting is made again through the pool (a second flush of the same file is harmless),
  // and the threads are not used again.
  const lost = (): void => {
    if (broken) return;
    broken = true;
    for (let slot = 0; slot < RING; slot++) {
      const w = waiting[slot];
      if (w === undefined) continue;
      waiting[slot] = undefined;
      fs.fsync(w.fd, w.done);
    }
    // The pool holds the process open for those now.
    inFlight = 0;
    holder?.unref();
  };
  const start = (): void => {
    started = true;
    for (let k = 0; k < count; k++) {
      const worker = new threads.Worker(SOURCE, { eval: true, workerData: { counters, fds, results } });
      worker.unref();
      holder ??= worker;
      worker.on('error', lost);
      worker.on('exit', lost);
    }
  };
  /**
   * Answers every flush made since it last looked, then waits for the next to be made: one
   * `Atomics.waitAsync` for all the flushes under way, not one each — flushes that share a
   * device's cache flush end together, and each answer woke the writing thread on its own.
   */
  let watching = false;
  let seen = 0;
  const answer = (): void => {
    watching = false;
    seen = Atomics.load(counters, 2);
    for (let slot = 0; slot < RING && inFlight > 0; slot++) {
      const w = waiting[slot];
      if (w === undefined) continue;
      const result = Atomics.load(results, slot);
      if (result === PENDING) continue;
      waiting[slot] = undefined;
      if (--inFlight === 0) holder?.unref();
      w.done(result === 0 ? null : failure(result));
    }
    watch();
  };
  const watch = (): void => {
    if (watching || inFlight === 0 || broken) return;
    watching = true;
    const made = (Atomics as unknown as WaitAsync).waitAsync(counters, 2, seen);
    if (made.async) void (made.value as Promise<string>).then(answer);
    else answer();
  };
  return (fd, done) => {
    const slot = sent & (RING - 1);
    // The ring's next slot still holds a flush under way (more than the ring in flight, or one
    // slow flush a whole ring ago): this one goes through the pool.
    if (broken || waiting[slot] !== undefined) {
      fs.fsync(fd, done);
      return;
    }
    if (!started) start();
    // The process is held open while a flush is under way, as libuv's pool holds it for its own.
    if (inFlight++ === 0) holder?.ref();
    waiting[slot] = { fd, done };
    Atomics.store(results, slot, PENDING);
    Atomics.store(fds, slot, fd);
    sent = (sent + 1) | 0;
    Atomics.store(counters, 0, sent);
    Atomics.notify(counters, 0, 1);
    watch();
  };
}
