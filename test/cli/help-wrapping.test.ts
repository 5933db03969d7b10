import type { Command } from 'commander';
import { describe, expect, it } from 'vitest';
import { buildProgram } from '../../cli/program.js';
import { licbridge } from '../support/cli.js';

/**
 * Help text is wrapped to the terminal's width (80 columns when not a terminal). Descriptions
 * that held a line break of their own were wrapped as well, so `licbridge --help` showed ragged
 * lines (`pulls legacy business data, maps` / `and validates it` / `against the license
 * catalog, …`; `deliveries per` / `target,` / `next scheduled run`). Every line of a paragraph is
 * now as full as the width allows: the next line's first word would not have fit on it.
 */

const WIDTH = 80;

/** Lines of a paragraph that end short: the next line's first word would have fit on them. */
function shortLines(help: string): string[] {
  const lines = help.split('\n');
  const indent = (l: string) => l.length - l.trimStart().length;
  const short: string[] = [];
  for (let i = 0; i + 1 < lines.length; i++) {
    const a = lines[i] as string;
    const b = lines[i + 1] as string;
    if (a.trim() === '' || b.trim() === '') continue;
    // A continuation: the program's description (no indent), or a description's next line.
    const continues = (indent(a) === 0 && indent(b) === 0) || indent(b) > 2;
    if (!continues) continue;
    const word = b.trimStart().split(' ')[0] as string;
    if (a.trimEnd().length + 1 + word.length <= WIDTH) short.push(`${a.trimEnd()} ⏎ ${b.trim()}`);
  }
  return short;
}

describe('help text', () => {
  it('licbridge --help: no paragraph line ends short', async () => {
    const r = await licbridge(['--help']);
    expect(r.status).toBe(0);
    expect(shortLines(r.stdout)).toEqual([]);
  });

  it("each command's --help: no paragraph line ends short", async () => {
    const program = await buildProgram(['node', 'licbridge'], true);
    program.configureHelp({ helpWidth: WIDTH });
    const short: string[] = [];
    const walk = (c: Command, path: string) => {
      c.configureHelp({ ...c.configureHelp(), helpWidth: WIDTH });
      for (const s of shortLines(c.helpInformation())) short.push(`${path}: ${s}`);
      for (const sub of c.commands) walk(sub, `${path} ${sub.name()}`);
    };
    for (const c of program.commands) walk(c, c.name());
    expect(short).toEqual([]);
  }, 60_000);
});
