import { type CliResult, ROOT, licbridge as run } from '../support/cli.js';

export { ROOT };

/** Runs the built command asynchronously (a simulator in this process must keep answering). */
export function licbridge(args: string[], cwd = ROOT): Promise<CliResult> {
  return run(args, { cwd });
}
