/**
 * `quarantine list` and `quarantine show` printed each entry's pipeline as the ledger holds it,
 * while its key, column and value go through terminalLine: a pipeline name holding an escape
 * sequence (a ledger written by another config, or edited) reached the terminal and was obeyed
 * (an OSC sequence set the window title). `dlq show` prints its pipeline inert; so do these now.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { licbridge } from '../support/cli.js';
import { writeQuarantined } from '../support/quarantined-rows.js';
import { usageConfig } from '../support/usage-config.js';

const made = usageConfig('test-quarantine-pipeline-terminal', 'licbridge-quarantine-pipeline-terminal-');
const PIPELINE = 'food\u001b]0;owned\u0007\u001b[2Jx';
const KEY = `row-${Math.floor(Math.random() * 1e6)}`;

beforeAll(() =>
  writeQuarantined(made.dir, PIPELINE, [
    { sourceKey: KEY, reasons: [{ code: 'LB_MAP_DATE', message: 'mapping: date not valid' }] },
  ]),
);

const run = (args: string[]) =>
  licbridge(['quarantine', ...args, '--config', made.file], { cwd: made.dir, timeoutMs: 30_000 });

describe('quarantine: a pipeline name from the ledger with an escape sequence', () => {
  it.each([[['list']], [['list', '--lang', 'en']], [['show', KEY]]])('%j prints it inert', async (args) => {
    const r = await run(args);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).not.toContain('\u001b');
    expect(r.stdout).not.toContain('\u0007');
    expect(r.stdout).toContain('(foodx');
  });
});
