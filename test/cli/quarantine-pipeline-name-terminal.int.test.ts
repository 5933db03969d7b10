/**
 * `quarantine list` and `quarantine show` printed each entry's pipeline as the ledger holds it,
 * while its key, column and value go through terminalLine: a pipeline name holding an escape
 * sequence (a ledger written by another config, or edited) reached the terminal and was obeyed
 * (an OSC sequence set the window title). `dlq show` prints its pipeline inert; so do these now.
 */
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { encodeKeyPosition } from '../../connectors/key-position.js';
import { createLogger } from '../../core/logger.js';
import { openLedger } from '../../ledger/open-ledger.js';
import { licbridge } from '../support/cli.js';
import { usageConfig } from '../support/usage-config.js';

const made = usageConfig('test-quarantine-pipeline-terminal', 'licbridge-quarantine-pipeline-terminal-');
const PIPELINE = 'food\u001b]0;owned\u0007\u001b[2Jx';
const KEY = `row-${Math.floor(Math.random() * 1e6)}`;

beforeAll(async () => {
  const ledger = await openLedger(`sqlite://${join(made.dir, 'ledger.db')}`, {
    logger: createLogger({ level: 'silent' }),
  });
  try {
    await ledger.startRun({ runId: 'run-1', pipeline: PIPELINE, mode: 'incremental' });
    await ledger.commitPage({
      pipeline: PIPELINE,
      runId: 'run-1',
      checkpoint: encodeKeyPosition({ cursor: 'c1', key: 'k' }),
      rowsRead: 1,
      candidates: [],
      quarantined: [
        { sourceKey: KEY, reasons: [{ code: 'LB_MAP_DATE', message: 'mapping: date not valid' }] },
      ],
    });
  } finally {
    await ledger.close();
  }
});

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
