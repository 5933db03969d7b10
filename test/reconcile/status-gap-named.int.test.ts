/**
 * `status` counted the keys the last check found deleted at the source (or missed) but never named
 * them: a person had to run the check again to learn which. A few (up to GAP_NAMED_MAX of a kind)
 * are now named on the line, by record key masked as reconcile masks it and license id; more are
 * counted, and the line points to `licbridge reconcile <pipeline>`, which names them.
 */
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../config/loader.js';
import type { Config } from '../../config/types.js';
import { createLogger } from '../../core/logger.js';
import type { StoredReport } from '../../ledger/audit-types.js';
import { GAP_NAMED_MAX } from '../../pipelines/observability/check-attention.js';
import { sourceFindingsAttention } from '../../pipelines/observability/findings-attention.js';
import { reconcilePipeline } from '../../pipelines/reconcile/reconcile.js';
import { runPipelines } from '../../pipelines/run-pipelines.js';
import { Runtime } from '../../pipelines/runtime.js';
import { licbridge } from '../support/cli.js';
import { createDemoWorkspace, type DemoWorkspace } from '../support/demo-workspace.js';

const PIPELINE = 'food-business-licenses';
const TABLE = 'T_SPXK_XKZ';
const logger = createLogger({ level: 'silent' });

function stored(byKind: Record<string, number>, sample: unknown[]): StoredReport {
  return {
    reportId: 'r9',
    pipeline: PIPELINE,
    mode: 'full',
    differences: sample.length,
    summary: { byKind },
    report: { sample },
    createdAt: new Date('2026-01-01T00:00:00Z'),
  };
}
const deleted = (key: string, n: number) => ({
  kind: 'deleted-at-source',
  sourceKey: key,
  licenseId: `1.2.156.3005.2.X.Y.${n}`,
});

describe('status names a few keys deleted at the source', () => {
  it('names them by masked key and license id, an ID or mobile number used as a key masked', () => {
    const [note] = sourceFindingsAttention(
      PIPELINE,
      'market-food',
      stored({ 'deleted-at-source': 2 }, [deleted('1001', 1), deleted('13812345678', 2)]),
    );
    expect(note?.kind).toBe('check-gap');
    expect(note?.message).toContain(
      'found 0 missed and 2 deleted-at-source key(s) (deleted at the source: key 1001 (license 1.2.156.3005.2.X.Y.1), key *******5678 (license 1.2.156.3005.2.X.Y.2))',
    );
    expect(note?.message).not.toContain('13812345678');
  });

  it('counts them only, pointing to reconcile, when there are more than a few or the sample lacks some', () => {
    const many = Array.from({ length: GAP_NAMED_MAX + 1 }, (_, i) => deleted(String(2000 + i), i));
    for (const report of [
      stored({ 'deleted-at-source': many.length }, many),
      // The sample (reconcile.sample) cut short: not all of them are there to name.
      stored({ 'deleted-at-source': 3 }, [deleted('1001', 1)]),
    ]) {
      const [note] = sourceFindingsAttention(PIPELINE, 'market-food', report);
      expect(note?.message).not.toContain('deleted at the source:');
      expect(note?.message).toContain(`\`licbridge reconcile ${PIPELINE}\` names them`);
    }
  });

  describe('through a real check and `licbridge status`', () => {
    let ws: DemoWorkspace;
    let config: Readonly<Config>;

    beforeAll(async () => {
      ws = await createDemoWorkspace({ rows: 60, seed: 5 });
      config = await loadConfig({ file: ws.configFile, env: {} });
      const [s] = await runPipelines(config, { pipelines: [PIPELINE], full: false, logger });
      expect(s?.state).toBe('done');
    }, 120_000);
    afterAll(async () => {
      await ws?.cleanup();
    });

    it('names the rows deleted from the source', { timeout: 120_000 }, async () => {
      const db = new Database(ws.legacyDb);
      db.prepare(`DELETE FROM ${TABLE} WHERE ID IN (SELECT ID FROM ${TABLE} ORDER BY ID LIMIT 3)`).run();
      db.close();
      const rt = new Runtime(config, logger);
      let report: Awaited<ReturnType<typeof reconcilePipeline>>;
      try {
        report = await reconcilePipeline(rt, { pipeline: PIPELINE });
      } finally {
        await rt.close();
      }
      const gone = report.sample.filter((d) => d.kind === 'deleted-at-source');
      // Rows that made a license (a quarantined one made none), few enough not to be a shrunk source.
      expect(gone.length).toBeGreaterThanOrEqual(2);
      expect(report.byKind['deleted-at-source']).toBe(gone.length);
      expect(report.sourceShrunk).toBeUndefined();
      const r = await licbridge(['status', '--no-sources', '--json', '--config', ws.configFile], {
        cwd: ws.dir,
      });
      const s = JSON.parse(r.stdout) as { attention: string[] };
      const line = s.attention.find((a) => a.includes('deleted-at-source key(s)'));
      const named = gone.map((d) => `key ${d.sourceKey} (license ${d.licenseId})`).join(', ');
      expect(line).toContain(`(deleted at the source: ${named})`);
    });
  });
});
