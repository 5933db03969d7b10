/**
 * The hint `sign files` prints for versions whose face text did not fit names `licbridge render`
 * as a command that runs: with every option render requires (`--png`), which without it refuses
 * to start ('required option --png <file> not specified').
 */
import type { Command } from 'commander';
import { expect, it } from 'vitest';
import { filesAttentionReport } from '../../cli/commands/sign-files.js';
import { buildProgram } from '../../cli/program.js';

it('names render with its required options', async () => {
  const program: Command = await buildProgram(['node', 'licbridge'], true);
  const render = program.commands.find((c) => c.name() === 'render');
  const required = (render?.options ?? []).filter((o) => o.mandatory).map((o) => o.long);
  expect(required.length).toBeGreaterThan(0);
  const report = filesAttentionReport('sign files', '/srv/files', {
    issued: 0,
    withoutTemplate: 0,
    faceOverflow: 1,
    faceOverflows: [{ licenseId: 'L1', version: 1, boxes: ['holder.name'] }],
    otherUnit: 0,
    otherUnits: [],
    storedText: 0,
    storedTexts: [],
    bytes: 0,
    leftoversRemoved: 0,
    unlistedRemoved: 0,
    notInStore: 0,
  });
  const shown = /`(licbridge render [^`]*)`/.exec(report)?.[1] ?? '';
  expect(shown).not.toBe('');
  for (const flag of required) expect(shown.split(' ')).toContain(flag);
});
