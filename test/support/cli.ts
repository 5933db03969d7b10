import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { runInProcess } from './cli-in-process.js';

export { loadCommand } from './cli-in-process.js';

export const ROOT = join(import.meta.dirname, '..', '..');
export const BIN = join(ROOT, 'dist', 'cli', 'main.js');

export interface CliResult {
  /** null when the command did not finish in time (a spawned one is then killed). */
  status: number | null;
  stdout: string;
  stderr: string;
  /** The signal that ended a spawned command (SIGKILL for a crash); null in process. */
  signal?: NodeJS.Signals | null;
}

export interface CliOptions {
  env?: Record<string, string>;
  cwd?: string;
  timeoutMs?: number;
  /** Each piece of stderr as it is written: to act on a line (`worker: started`) while it runs. */
  onStderr?: (text: string) => void;
}

/** Set, a run kills itself at a chosen point (core/crash-point.ts): it must be its own process. */
const CRASH_AT = 'LICBRIDGE_TEST_CRASH_AT';

/**
 * Runs a `licbridge` command in the test process, from the TypeScript sources (no build needed):
 * same arguments, exit status, stdout and stderr as the built command (./cli-in-process.ts).
 * Asynchronous, so a simulator living in the test process keeps answering while it runs.
 * A run asked to crash (LICBRIDGE_TEST_CRASH_AT) runs as its own process instead.
 */
export function licbridge(args: string[], options: CliOptions = {}): Promise<CliResult> {
  if (options.env?.[CRASH_AT] ?? process.env[CRASH_AT]) return licbridgeProcess(args, options);
  // LICBRIDGE_TEST_SPAWN=1 runs every command as the built CLI instead: to tell whether a failure
  // comes from running in process, and to compare the two.
  if (process.env.LICBRIDGE_TEST_SPAWN === '1') return licbridgeProcess(args, options);
  return runInProcess(args, { argv0: BIN, cwd: options.cwd ?? ROOT, ...options });
}

/**
 * Runs the built `licbridge` (`dist/cli/main.js`, so `npm run build` first) as its own process:
 * for tests that kill it, crash it, or run it beside another command. Such tests are `*.e2e.test.ts`.
 */
export function licbridgeProcess(args: string[], options: CliOptions = {}): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], {
      cwd: options.cwd ?? ROOT,
      env: { ...process.env, ...(options.env ?? {}) },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => {
      stdout += d;
    });
    child.stderr.setEncoding('utf8').on('data', (d: string) => {
      stderr += d;
      options.onStderr?.(d);
    });
    // A hang ends here with a null status instead of blocking the suite.
    const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs ?? 60_000);
    child.on('error', reject);
    child.on('close', (status, signal) => {
      clearTimeout(timer);
      resolve({ status, stdout, stderr, signal });
    });
  });
}
