/**
 * Runs a `licbridge` command inside the test process, the way `cli/main.ts` runs it, and hands
 * back what a spawned process would: its exit status, stdout and stderr. Starting node and
 * loading the command's code cost most of a second per spawn; here the sources are loaded once
 * per test file and each run only evaluates them again.
 *
 * What a process boundary gives, this recreates for the length of one run:
 * - fresh module state: every licbridge module is evaluated anew (`vi.resetModules`), so the
 *   registered secrets (core/scrub.ts), the root logger and every cache start empty, as in a
 *   new process; libraries from node_modules are shared, as they hold no licbridge state. Two
 *   caches are kept across runs instead, as a long-running worker keeps them
 *   (./shared-validators.ts): the compiled License validators (catalog/validator-cache.ts), a
 *   pure function of the schema text that holds no licbridge class (a schema that fails to
 *   compile is never kept, so fails in every run; compiling them again was ~0.1 s of CPU in
 *   every command that loads the catalog), and, for the runs of one test file, the catalogs that
 *   file built (catalog/built-catalogs.ts, kept by their entry files' paths and texts);
 * - the environment and working directory the caller gives, restored afterwards;
 * - stdout and stderr: `process.stdout/stderr.write`, `console`, and the log lines pino writes
 *   straight to file descriptors 1 and 2 (`fs.writeSync`);
 * - the exit status: `process.exitCode`, or `process.exit(code)` (commander's help and usage
 *   errors), which ends the run instead of the test process;
 * - the exit itself: a command that finishes but leaves a socket or server open (which would keep
 *   the built CLI from exiting) comes back with a null status, as a hang does.
 *
 * Runs are taken one at a time: stdout, the environment and the working directory belong to the
 * whole process. A run past its limit comes back with a null status while its command goes on (no
 * process to kill); the next run waits for that command to stop, and fails naming it if it has not
 * stopped within `stopWaitMs`: run beside it, the next command met its sockets, Redis connections
 * and files, and failed in a case that did nothing wrong. The default limit ends before vitest's
 * limit for the case, so the run that took too long is the one reported. A test that needs a
 * command to crash, be killed, or run beside another command uses the real process instead
 * (`licbridgeProcess` in ./cli.ts).
 */
import { Console } from 'node:console';
import fs from 'node:fs';
import { Server, Socket } from 'node:net';
import { TestRunner, vi } from 'vitest';

export interface InProcessResult {
  /** null when the run did not finish within the time given (a spawned run is killed then). */
  status: number | null;
  stdout: string;
  stderr: string;
}

export interface InProcessOptions {
  argv0: string;
  env?: Record<string, string>;
  cwd: string;
  /**
   * Default: the case's limit (vitest.config.ts `testTimeout`, or its own) less `stopWaitMs`; a
   * longer one given in a case is cut to that (see `limitOf`).
   */
  timeoutMs?: number;
  /** How long the next run waits for this command to stop once past its limit. Default 10 s. */
  stopWaitMs?: number;
  onStderr?: (text: string) => void;
}

const STOP_WAIT_MS = 10_000;

/**
 * The limit vitest gives the current case (a hook has none here: its `hookTimeout` is the same
 * 60 s), less the wait for a command past its limit to stop: the run's limit fires first and
 * names the command, and not the case's, which would leave the command running into the next case.
 */
function defaultLimitMs(stopWaitMs: number): number {
  const caseLimit = TestRunner.getCurrentTest()?.timeout || 60_000;
  return Math.max(1000, caseLimit - stopWaitMs);
}

/**
 * The run's limit and, when it is not the one asked for, why. A limit given above what the case
 * leaves (a 90 s `timeoutMs` in a case of 60 s) is cut to the default: vitest ended the case
 * first, its message naming only the case, and the command's own message (which command, what it
 * printed so far) was never seen. In a hook the limit asked for stands (a hook may have its own).
 */
function limitOf(options: InProcessOptions, stopWaitMs: number): { limitMs: number; cut?: string } {
  const fallback = defaultLimitMs(stopWaitMs);
  const asked = options.timeoutMs;
  if (asked === undefined) return { limitMs: fallback };
  if (TestRunner.getCurrentTest() === undefined || asked <= fallback) return { limitMs: asked };
  return {
    limitMs: fallback,
    cut: ` (asked for ${asked} ms; cut to the case's limit less ${stopWaitMs} ms for it to stop)`,
  };
}

/** Thrown by the stand-in `process.exit`: the command wanted the process to end here. */
class ExitCalled extends Error {
  constructor(readonly code: number) {
    super(`process.exit(${code})`);
  }
}

let queue: Promise<unknown> = Promise.resolve();

/** A command past its limit that had not stopped within its wait: every later run fails naming it. */
let stuck: string | undefined;

/** The module every run of this test file gets for catalog/validator-cache.ts (see above). */
const VALIDATOR_CACHE = '../../catalog/validator-cache.js';
let validatorCache: Promise<typeof import('../../catalog/validator-cache.js')> | undefined;

export function runInProcess(args: readonly string[], options: InProcessOptions): Promise<InProcessResult> {
  const run = queue.then(() => {
    if (stuck !== undefined) throw new Error(stuck);
    return runOnce(args, options);
  });
  // The next run starts once this one's command has stopped, not when its result came back.
  queue = run.then(
    (r) => r.stopped,
    () => undefined,
  );
  return run.then((r) => r.result);
}

/**
 * Loads the code of `licbridge <command>` without running it: cli/program.ts, cli/errors.ts and the
 * command's module, with everything they import. For a test file's `beforeAll`, with a limit of
 * its own: vitest transforms each source file the first time the file imports it, and without this
 * the first run does that inside its own limit (35.7 s of transforms in a loaded run of the suite,
 * and a command given 50 s ran out of time in a case that did nothing wrong). Later runs evaluate
 * the code anew (`vi.resetModules`) without transforming it again. What a command imports only as
 * it runs (a source's dialect, a signer, a target) is still loaded by the first run that needs it.
 */
export function loadCommand(command: string): Promise<void> {
  const load = queue.then(async () => {
    const { buildProgram } = await import('../../cli/program.js');
    await import('../../cli/errors.js');
    await buildProgram([process.execPath, 'licbridge', command]);
  });
  queue = load.then(
    () => undefined,
    () => undefined,
  );
  return load;
}

/**
 * Resolves when `work`, a command past its limit, stops; or after `waitMs`, leaving it marked stuck
 * (cleared should it ever stop).
 */
function whenStopped(work: Promise<unknown>, args: readonly string[], waitMs: number): Promise<void> {
  const stopped = work.then(
    () => undefined,
    () => undefined,
  );
  let timer: NodeJS.Timeout | undefined;
  const gaveUp = new Promise<void>((resolve) => {
    timer = setTimeout(() => {
      stuck =
        `licbridge (in process): \`licbridge ${args.join(' ')}\` ran past its limit and had not stopped ` +
        `${waitMs} ms later; it may still hold sockets, connections or files, so this run was not started`;
      void stopped.then(() => {
        stuck = undefined;
      });
      resolve();
    }, waitMs);
  });
  return Promise.race([stopped, gaveUp]).finally(() => clearTimeout(timer));
}

type Write = typeof process.stdout.write;

async function runOnce(
  args: readonly string[],
  options: InProcessOptions,
): Promise<{ result: InProcessResult; stopped: Promise<void> }> {
  const stopWaitMs = options.stopWaitMs ?? STOP_WAIT_MS;
  const { limitMs, cut = '' } = limitOf(options, stopWaitMs);
  const argv = [process.execPath, options.argv0, ...args];
  const out: string[] = [];
  const err: string[] = [];
  const text = (chunk: unknown, encoding?: unknown): string =>
    typeof chunk === 'string'
      ? chunk
      : Buffer.from(chunk as Uint8Array).toString(
          typeof encoding === 'string' ? (encoding as BufferEncoding) : 'utf8',
        );
  const put = (to: string[], s: string): void => {
    to.push(s);
    if (to === err) options.onStderr?.(s);
  };
  const sink =
    (to: string[]): Write =>
    (chunk: unknown, encoding?: unknown, callback?: unknown) => {
      put(to, text(chunk, encoding));
      const done = typeof encoding === 'function' ? encoding : callback;
      if (typeof done === 'function') queueMicrotask(() => (done as () => void)());
      return true;
    };

  const saved = {
    env: new Map<string, string | undefined>(),
    cwd: process.cwd(),
    stdoutWrite: process.stdout.write,
    stderrWrite: process.stderr.write,
    writeSync: fs.writeSync,
    console: globalThis.console,
    exit: process.exit,
    exitCode: process.exitCode,
  };
  for (const [k, v] of Object.entries(options.env ?? {})) {
    saved.env.set(k, process.env[k]);
    process.env[k] = v;
  }
  process.chdir(options.cwd);
  process.stdout.write = sink(out);
  process.stderr.write = sink(err);
  const writeSync = ((fd: number, data: unknown, ...rest: unknown[]) => {
    if (fd !== 1 && fd !== 2) return (saved.writeSync as (...a: unknown[]) => number)(fd, data, ...rest);
    const s = typeof data === 'string' ? data : text(data);
    put(fd === 1 ? out : err, s);
    return typeof data === 'string' ? Buffer.byteLength(data) : (data as Uint8Array).byteLength;
  }) as typeof fs.writeSync;
  fs.writeSync = writeSync;
  globalThis.console = new Console({ stdout: process.stdout, stderr: process.stderr });
  process.exit = ((code?: number | string | null) => {
    throw new ExitCalled(Number(code ?? process.exitCode ?? 0));
  }) as typeof process.exit;
  process.exitCode = undefined;

  let timer: NodeJS.Timeout | undefined;
  const before = openHandles();
  try {
    const work = (async (): Promise<number> => {
      validatorCache ??= import('../../catalog/validator-cache.js');
      const shared = await validatorCache;
      vi.doMock(VALIDATOR_CACHE, () => shared);
      vi.resetModules();
      const { buildProgram } = await import('../../cli/program.js');
      const { reportError } = await import('../../cli/errors.js');
      try {
        const program = await buildProgram(argv);
        await program.parseAsync(argv);
        return Number(process.exitCode ?? 0);
      } catch (error) {
        if (error instanceof ExitCalled) return error.code;
        // As cli/main.ts does.
        return reportError(error);
      }
    })();
    const timeout = new Promise<null>((resolve) => {
      timer = setTimeout(() => resolve(null), limitMs);
    });
    const status = await Promise.race([work, timeout]);
    if (status === null) {
      err.push(`licbridge (in process): did not finish within ${limitMs} ms${cut}\n`);
      const result = { status, stdout: out.join(''), stderr: err.join('') };
      return { result, stopped: whenStopped(work, args, stopWaitMs) };
    }
    // A process exits only once nothing holds it open: a command that finished but left a
    // connection or a server open would hang as the built CLI. Reported as a hang is (null).
    const left = await leftOpen(before);
    if (left.length > 0) {
      err.push(
        `licbridge (in process): finished but left open ${left.join(', ')}; as a process it would not exit\n`,
      );
      return { result: { status: null, stdout: out.join(''), stderr: err.join('') }, stopped: DONE };
    }
    return { result: { status, stdout: out.join(''), stderr: err.join('') }, stopped: DONE };
  } finally {
    // Only this run's imports get the kept module: a later file in this worker imports its own.
    vi.doUnmock(VALIDATOR_CACHE);
    clearTimeout(timer);
    process.stdout.write = saved.stdoutWrite;
    process.stderr.write = saved.stderrWrite;
    fs.writeSync = saved.writeSync;
    globalThis.console = saved.console;
    process.exit = saved.exit;
    process.exitCode = saved.exitCode;
    process.chdir(saved.cwd);
    for (const [k, v] of saved.env) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
  }
}

const DONE: Promise<void> = Promise.resolve();

type Handle = {
  constructor: { name: string };
  server?: unknown;
  _handle?: { hasRef?: () => boolean } | null;
};

/**
 * What would keep a process of the command's own alive: its client sockets and its servers, held
 * (ref'd). Sockets a server of the test accepted (a simulator's end of a connection) belong to the
 * test, and timers end by themselves (a back-off, a bounded wait), so neither counts.
 */
function openHandles(): Set<Handle> {
  const all = (process as unknown as { _getActiveHandles(): Handle[] })._getActiveHandles();
  const own = (h: Handle): boolean =>
    (h instanceof Socket && !(h as Handle).server && h !== process.stdout && h !== process.stderr) ||
    h instanceof Server;
  return new Set(all.filter((h) => own(h) && h._handle?.hasRef?.() !== false));
}

/**
 * Handles opened since `before` and still open, after letting closing sockets finish (up to 2 s).
 * A socket ended by the command is gone a few milliseconds later, after about half of the
 * commands: looked at every 5 ms at first, so that each of those waits that long and not 50 ms.
 */
async function leftOpen(before: Set<Handle>): Promise<string[]> {
  const started = Date.now();
  for (;;) {
    const extra = [...openHandles()].filter((h) => !before.has(h));
    if (extra.length === 0) return [];
    const waited = Date.now() - started;
    if (waited >= 2000) return extra.map((h) => h.constructor.name);
    await new Promise((r) => setTimeout(r, waited < 200 ? 5 : 50));
  }
}
