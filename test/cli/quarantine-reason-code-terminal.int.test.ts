/**
 * `quarantine list` and `quarantine show` printed each reason's code as the ledger holds it (and
 * list its count by reason), while the pipeline, key, column and value beside it go through
 * terminalLine: a code holding an escape sequence (a ledger written by an older or another
 * version, or edited) reached the terminal and was obeyed. Codes are now printed inert too.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { licbridge } from '../support/cli.js';
import { writeQuarantined } from '../support/quarantined-rows.js';
import { usageConfig } from '../support/usage-config.js';

const made = usageConfig('test-quarantine-code-terminal', 'licbridge-quarantine-code-terminal-');
const CODE = 'LB_MAP_DATE\u001b]0;owned\u0007\u001b[2Jx';
const KEY = `row-${Math.floor(Math.random() * 1e6)}`;

beforeAll(() =>
  writeQuarantined(made.dir, 'food', [
    { sourceKey: KEY, reasons: [{ code: CODE, message: 'mapping: date not valid' }] },
  ]),
);

const run = (args: string[]) =>
  licbridge(['quarantine', ...args, '--config', made.file], { cwd: made.dir, timeoutMs: 30_000 });

describe('quarantine: a reason code from the ledger with an escape sequence', () => {
  it.each([[['list']], [['list', '--lang', 'en']], [['show', KEY]]])('%j prints it inert', async (args) => {
    const r = await run(args);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).not.toContain('\u001b');
    expect(r.stdout).not.toContain('\u0007');
    // The entry's reason, and (list) its count by reason.
    expect(r.stdout.split('\n').filter((l) => l.includes('LB_MAP_DATEx')).length).toBe(
      args[0] === 'list' ? 2 : 1,
    );
  });
});
