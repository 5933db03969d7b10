import { describe, expect, it } from 'vitest';
import { COMMAND_SUMMARIES } from '../../cli/command-summaries.js';
import { buildProgram } from '../../cli/program.js';

// Top-level help comes from a table so that `--help` loads no command code; the table must say
// what the commands themselves say.
describe('licbridge --help from the summaries table', () => {
  it('lists every command with the name, description and usage its module registers', async () => {
    const full = await buildProgram(['node', 'licbridge'], true);
    expect(full.commands.map((c) => [c.name(), c.description(), c.usage()])).toEqual(
      COMMAND_SUMMARIES.map((s) => [...s]),
    );
  }, 60_000);

  it('prints the same help as the commands themselves', async () => {
    const fromTable = await buildProgram(['node', 'licbridge', '--help']);
    const full = await buildProgram(['node', 'licbridge', '--help'], true);
    expect(fromTable.helpInformation()).toBe(full.helpInformation());
    expect(fromTable.helpInformation()).toContain('objection [options] [command]');
  }, 60_000);
});
