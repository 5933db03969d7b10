/**
 * A key held by two rows with different content quarantines both (`LB_SOURCE_KEY_DUPLICATE`).
 * When the department gives one of them its own number, or deletes it, only that row's cursor
 * moves: the row left alone is read again by key at the next run, issued, and its record closes.
 */

import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { openLedger } from '../../ledger/open-ledger.js';
import { runPipelines } from '../../pipelines/run-pipelines.js';
import { BACKENDS } from '../ledger/backends.js';
import {
  duplicated,
  PIPELINE,
  pipelineState,
  silent,
  workspacesPerTest,
} from './quarantine-recheck-fixture.js';

describe.each(BACKENDS)('a duplicated key fixed at the source ($name)', (backend) => {
  const workspaces = workspacesPerTest();

  /**
   * Two rows whose keys read as one under `trim`: row 1's CHAR(20) holds the number padded, row 2
   * holds it with one trailing space, stored apart (SQLite compares without PAD SPACE, so a look-up
   * of the key finds row 1 alone). Run once: its summary.
   */
  async function ambiguousByTrailingSpace() {
    const made = await duplicated(backend);
    const ws = workspaces.keep(made.ws);
    const db = new Database(ws.legacyDb);
    db.prepare("UPDATE T_SPXK_XKZ SET XKZBH = ? || ' ' WHERE ID = 2").run(made.key);
    db.close();
    const [first] = await runPipelines(made.config, { pipelines: [PIPELINE], full: false, logger: silent });
    return { made, ws, first };
  }

  for (const [fix, sql] of [
    [
      'renumbered',
      "UPDATE T_SPXK_XKZ SET XKZBH = 'JY23702119999999', GXSJ = '2026-01-01 00:00:00.000000' WHERE ID = 2",
    ],
    ['deleted', 'DELETE FROM T_SPXK_XKZ WHERE ID = 2'],
  ] as const) {
    it(`issues the row left alone when the other is ${fix}`, async () => {
      const made = await duplicated(backend);
      const ws = workspaces.keep(made.ws);
      const [first] = await runPipelines(made.config, { pipelines: [PIPELINE], full: false, logger: silent });
      expect(first?.quarantined).toBe(2);
      expect((await pipelineState(ws)).open).toEqual([[made.key, ['LB_SOURCE_KEY_DUPLICATE']]]);

      const db = new Database(ws.legacyDb);
      db.prepare(sql).run();
      db.close();
      await runPipelines(made.config, { pipelines: [PIPELINE], full: false, logger: silent });
      const after = await pipelineState(ws);
      expect(after.open).toEqual([]);
      const kept = after.licenses.get(made.key);
      expect(kept).toBeDefined();
      expect(after.delivered.has(kept?.licenseId ?? '')).toBe(true);
    }, 120_000);
  }

  it('issues the row left of two keys that read as one (trailing spaces) once the other is renumbered', async () => {
    const { made, ws, first } = await ambiguousByTrailingSpace();
    expect(first?.quarantined).toBe(2);
    expect((await pipelineState(ws)).open).toEqual([[made.key, ['LB_SOURCE_KEY_AMBIGUOUS']]]);

    const fix = new Database(ws.legacyDb);
    fix
      .prepare(
        "UPDATE T_SPXK_XKZ SET XKZBH = 'JY23702119999999', GXSJ = '2026-01-01 00:00:00.000000' WHERE ID = 2",
      )
      .run();
    fix.close();
    await runPipelines(made.config, { pipelines: [PIPELINE], full: false, logger: silent });
    const after = await pipelineState(ws);
    expect(after.open).toEqual([]);
    expect(after.delivered.has(after.licenses.get(made.key)?.licenseId ?? '')).toBe(true);
  }, 120_000);

  it('keeps both rows of two keys that read as one (trailing spaces) quarantined while neither is fixed', async () => {
    const { made, ws, first } = await ambiguousByTrailingSpace();
    expect(first?.quarantined).toBe(2);
    await runPipelines(made.config, { pipelines: [PIPELINE], full: false, logger: silent });
    const after = await pipelineState(ws);
    expect(after.open).toEqual([[made.key, ['LB_SOURCE_KEY_AMBIGUOUS']]]);
    expect(after.licenses.has(made.key)).toBe(false);
  }, 120_000);

  it('keeps both quarantined, with the current reason, while the source still holds the key twice', async () => {
    const made = await duplicated(backend);
    const ws = workspaces.keep(made.ws);
    await runPipelines(made.config, { pipelines: [PIPELINE], full: false, logger: silent });
    await runPipelines(made.config, { pipelines: [PIPELINE], full: false, logger: silent });
    const after = await pipelineState(ws);
    expect(after.open).toEqual([[made.key, ['LB_SOURCE_KEY_DUPLICATE']]]);
    expect(after.licenses.has(made.key)).toBe(false);
  }, 120_000);

  it('leaves the open record as it is while the key fails as before: no new record, nothing counted', async () => {
    const made = await duplicated(backend);
    const ws = workspaces.keep(made.ws);
    const [first] = await runPipelines(made.config, { pipelines: [PIPELINE], full: false, logger: silent });
    expect(first?.quarantined).toBe(2);
    const later = [];
    for (let i = 0; i < 3; i++) {
      const [run] = await runPipelines(made.config, { pipelines: [PIPELINE], full: false, logger: silent });
      later.push([run?.read, run?.quarantined]);
    }
    expect(later).toEqual([
      [0, 0],
      [0, 0],
      [0, 0],
    ]);
    const ledger = await openLedger(ws.ledgerUrl, { logger: silent });
    try {
      const records = await ledger.quarantineHistory({ sourceKey: made.key, pipeline: PIPELINE });
      expect(records.map((r) => r.resolvedAt)).toEqual([null]);
    } finally {
      await ledger.close();
    }
    expect((await pipelineState(ws)).open).toEqual([[made.key, ['LB_SOURCE_KEY_DUPLICATE']]]);
  }, 120_000);

  it('does not read a key again where the key column leads no index: each look-up would scan the table', async () => {
    const made = await duplicated(backend, false);
    const ws = workspaces.keep(made.ws);
    await runPipelines(made.config, { pipelines: [PIPELINE], full: false, logger: silent });
    const db = new Database(ws.legacyDb);
    db.prepare('DELETE FROM T_SPXK_XKZ WHERE ID = 2').run();
    db.close();
    const [second] = await runPipelines(made.config, { pipelines: [PIPELINE], full: false, logger: silent });
    expect(second?.read).toBe(0);
    expect((await pipelineState(ws)).open).toEqual([[made.key, ['LB_SOURCE_KEY_DUPLICATE']]]);
  }, 120_000);
});
