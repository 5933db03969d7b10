/**
 * A row quarantined by the mapping is read again, by key, at the first run after the mapping (or
 * the catalog) changed; the row itself did not change, so its cursor never brings it back.
 */

import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../config/loader.js';
import { openLedger } from '../../ledger/open-ledger.js';
import { runPipelines } from '../../pipelines/run-pipelines.js';
import { BACKENDS } from '../ledger/backends.js';
import {
  mappingDates,
  PIPELINE,
  pipelineState,
  recheckWorkspace,
  silent,
  workspacesPerTest,
} from './quarantine-recheck-fixture.js';

describe.each(BACKENDS)('a row quarantined by the mapping, the mapping fixed ($name)', (backend) => {
  const workspaces = workspacesPerTest();

  /** A workspace whose row 4 has an issue date the mapping does not read (`2021.3.15`), run once. */
  async function dateQuarantined() {
    const ws = workspaces.keep(await recheckWorkspace(backend));
    const db = new Database(ws.legacyDb);
    db.prepare("UPDATE T_SPXK_XKZ SET FZRQ = '2021.3.15' WHERE ID = 4").run();
    db.close();
    const config = await loadConfig({ file: ws.configFile, env: {} });
    await runPipelines(config, { pipelines: [PIPELINE], full: false, logger: silent });
    return { ws, config };
  }

  it('is issued by the next run, and a run with the same mapping reads nothing again', async () => {
    const { ws, config } = await dateQuarantined();
    expect((await pipelineState(ws)).open).toEqual([['4', ['LB_MAP_DATE']]]);

    // Unchanged mapping: the row is not read again.
    const [same] = await runPipelines(config, { pipelines: [PIPELINE], full: false, logger: silent });
    expect(same).toMatchObject({ read: 0, quarantined: 0 });
    expect((await pipelineState(ws)).open).toEqual([['4', ['LB_MAP_DATE']]]);

    const fixed = await mappingDates(ws, 'yyyyMMdd, yyyy.M.d');
    const [second] = await runPipelines(fixed, { pipelines: [PIPELINE], full: false, logger: silent });
    expect(second).toMatchObject({ read: 1, created: 1, quarantined: 0 });
    const after = await pipelineState(ws);
    expect(after.open).toEqual([]);
    expect(after.delivered.has(after.licenses.get('4')?.licenseId ?? '')).toBe(true);
  }, 120_000);
  it('records a row failing with the same code but other details after a mapping change', async () => {
    const { ws } = await dateQuarantined();
    const messages = async () => {
      const ledger = await openLedger(ws.ledgerUrl, { logger: silent });
      try {
        const q = await ledger.openQuarantine({ pipeline: PIPELINE });
        return q.flatMap((e) => e.reasons.map((r) => `${e.sourceKey} ${r.code} ${r.message}`));
      } finally {
        await ledger.close();
      }
    };
    expect((await messages()).join()).not.toContain('yyyy-M-d');

    // Another format accepted, still not this row's: the same code, with what was tried now.
    const changed = await mappingDates(ws, 'yyyyMMdd, yyyy-M-d');
    const [second] = await runPipelines(changed, { pipelines: [PIPELINE], full: false, logger: silent });
    expect(second).toMatchObject({ read: 1, created: 0, quarantined: 1 });
    const now = await messages();
    expect(now.length).toBeGreaterThan(0);
    for (const m of now) expect(m).toMatch(/^4 LB_MAP_DATE .*yyyy-M-d/);
  }, 120_000);
});
