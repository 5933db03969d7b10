/**
 * `quarantine list` and `quarantine show` printed each reason's code as the ledger holds it (and
 * list its count by reason), while the pipeline, key, column and value beside it go through
 * terminalLine: a code holding an escape sequence (a ledger written by an older or another
 * version, or edited) reached the terminal and was obeyed. Codes are now printed inert too.
 */
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { encodeKeyPosition } from '../../connectors/key-position.js';
import { createLogger } from '../../core/logger.js';
import { openLedger } from '../../ledger/open-ledger.js';
import { licbridge } from '../support/cli.js';
import { usageConfig } from '../support/usage-config.js';

const made = usageConfig('test-quarantine-code-terminal', 'licbridge-quarantine-code-terminal-');
const CODE = 'LB_MAP_DATE\u001b]0;owned\u0007\u001b[2Jx';
const KEY = `row-${Math.floor(Math.random() * 1e6)}`;

beforeAll(async () => {
  const ledger = await openLedger(`sqlite://${join(made.dir, 'ledger.db')}`, {
    logger: createLogger({ level: 'silent' }),
  });
  try {
    await ledger.startRun({ runId: 'run-1', pipeline: 'food', mode: 'incremental' });
    await ledger.commitPage({
      pipeline: 'food',
      runId: 'run-1',
      checkpoint: encodeKeyPosition({ cursor: 'c1', key: 'k' }),
      rowsRead: 1,
      candidates: [],
      quarantined: [{ sourceKey: KEY, reasons: [{ code: CODE, message: 'mapping: date not valid' }] }],
    });
  } finally {
    await ledger.close();
  }
});

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
