/**
 * `--progress-interval` means the same for every command that takes it (cli/progress.ts): its help
 * reads the same everywhere, where each command had its own words (`0: at every page`, `at every
 * look`, `while waiting`).
 */
import type { Command } from 'commander';
import { describe, expect, it } from 'vitest';
import { buildProgram } from '../../cli/program.js';
import { PROGRESS_INTERVAL_HELP } from '../../cli/progress.js';

function withInterval(command: Command, path: string[] = []): [string, string][] {
  const own = command.options
    .filter((o) => o.long === '--progress-interval')
    .map((o): [string, string] => [path.join(' '), o.description]);
  return [...own, ...command.commands.flatMap((c) => withInterval(c, [...path, c.name()]))];
}

describe('--progress-interval help', () => {
  it('reads the same for every command that takes it', async () => {
    const program = await buildProgram(['node', 'licbridge'], true);
    const found = withInterval(program);
    expect(found.map(([path]) => path)).toEqual(
      expect.arrayContaining(['sign backfill', 'sign resign', 'lifecycle run', 'dlq replay', 'audit verify']),
    );
    expect(found).toEqual(found.map(([path]) => [path, PROGRESS_INTERVAL_HELP]));
  }, 60_000);
});
