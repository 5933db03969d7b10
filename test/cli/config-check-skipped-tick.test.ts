/**
 * `config check` of a config whose `lifecycle.timeZone` starts summer time at midnight
 * (America/Havana) and whose lifecycle tick is before 01:00 (the default `5 0 * * *`): the check
 * passes, with a warning at the zone's line naming the setting, the zone, the day the tick is
 * skipped and `5 1 * * *` (pipelines/lifecycle/schedule-skipped-day.ts). The command runs in
 * process; its stdout and stderr are read.
 */
import { appendFile } from 'node:fs/promises';
import { Command } from 'commander';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { registerConfigCommands } from '../../cli/commands/config.js';
import { configCheckWorkspace } from './config-check-workspace.js';

/** `licbridge config check <file>` in process: what it wrote to stdout and stderr. */
async function configCheck(file: string): Promise<{ stdout: string; stderr: string }> {
  const program = new Command().option('-c, --config <file>').exitOverride();
  registerConfigCommands(program);
  const out = { stdout: '', stderr: '' };
  vi.spyOn(process.stdout, 'write').mockImplementation((s) => {
    out.stdout += String(s);
    return true;
  });
  vi.spyOn(process.stderr, 'write').mockImplementation((s) => {
    out.stderr += String(s);
    return true;
  });
  try {
    await program.parseAsync(['node', 'licbridge', 'config', 'check', file]);
  } finally {
    vi.restoreAllMocks();
  }
  return out;
}

describe('config check and a lifecycle tick skipped the day summer time starts', () => {
  afterEach(() => {
    vi.restoreAllMocks();
  });

  it('passes with a warning at lifecycle.timeZone for the default schedule in America/Havana', async () => {
    const ws = await configCheckWorkspace('skipped-tick');
    try {
      await appendFile(ws.file, 'lifecycle:\n  timeZone: America/Havana\n');
      const line = `${ws.config}lifecycle:\n`.split('\n').length;
      const r = await configCheck(ws.file);
      expect(r.stdout).toContain(': ok');
      expect(r.stderr).toContain(
        `warning: ${ws.file}:${line}:13: lifecycle.schedule: \`5 0 * * *\` (the default)`,
      );
      expect(r.stderr).toContain('America/Havana');
      // Havana's summer time starts on the second Sunday of March.
      expect(r.stderr).toMatch(/does not exist on \d{4}-03-(0[89]|1[0-4]),/);
      expect(r.stderr).toContain('`5 1 * * *`');
    } finally {
      await ws.cleanup();
    }
  });

  it('says nothing of the tick in the default zone', async () => {
    const ws = await configCheckWorkspace('skipped-tick');
    try {
      const r = await configCheck(ws.file);
      expect(r.stdout).toContain(': ok');
      expect(r.stderr).not.toContain('lifecycle.schedule');
    } finally {
      await ws.cleanup();
    }
  });
});
