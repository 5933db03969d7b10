/**
 * `licbridge audit show` walks the whole chain for one license's entries, and `audit export` of the
 * whole chain reads it all, a page at a time: millions of entries after some years. Both said
 * nothing until they were done. They now show how far they are on stderr, as counts, the way
 * `audit verify` does (cli/progress.ts): entries walked against the chain's head, entries written
 * against the range. `--progress-interval 0` writes a line at each page, so the test needs no
 * clock; `--json` keeps stderr free of it.
 */
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../config/loader.js';
import type { Config } from '../../config/types.js';
import { createLogger } from '../../core/logger.js';
import { exportAudit, licenseAuditTrail } from '../../pipelines/audit.js';
import { runPipelines } from '../../pipelines/run-pipelines.js';
import { licbridge } from '../support/cli.js';
import { createDemoWorkspace, type DemoWorkspace } from '../support/demo-workspace.js';

const logger = createLogger({ level: 'silent' });

/** The progress lines of a command's stderr (its log lines are JSON). */
const progressLines = (stderr: string, command: string) =>
  stderr.split('\n').filter((l) => l.startsWith(`audit ${command}: `));

describe('audit show and audit export: progress', () => {
  let ws: DemoWorkspace;
  let config: Readonly<Config>;
  let licenseId: string;
  /** The chain's entries: the head's seq. */
  let head: number;
  const cli = (args: string[]) =>
    licbridge([...args, '--config', ws.configFile], {
      cwd: ws.dir,
      env: { LICBRIDGE_LOG_LEVEL: 'silent' },
    });

  beforeAll(async () => {
    ws = await createDemoWorkspace({ rows: 12, seed: 7 });
    config = await loadConfig({ file: ws.configFile, env: {} });
    const [s] = await runPipelines(config, { pipelines: ['food-business-licenses'], full: false, logger });
    expect(s?.state).toBe('done');
    const db = new Database(join(ws.dir, 'data', 'ledger.db'), { readonly: true });
    try {
      licenseId = (
        db.prepare('select license_id as id from licenses order by license_id limit 1').get() as {
          id: string;
        }
      ).id;
      head = (db.prepare('select max(seq) as n from audit_log').get() as { n: number }).n;
    } finally {
      db.close();
    }
    expect(head).toBeGreaterThan(4);
  }, 120_000);
  afterAll(async () => ws?.cleanup().catch(() => undefined));

  it('show: tells the entries walked against the head; none with --json', async () => {
    const walked: [number, number][] = [];
    const entries = await licenseAuditTrail(config, licenseId, logger, {
      onPage: (n, of) => walked.push([n, of]),
    });
    expect(entries.length).toBeGreaterThan(0);
    expect(walked.at(-1)).toEqual([head, head]);

    const shown = await cli(['audit', 'show', '--license', licenseId, '--progress-interval', '0']);
    expect(shown.status, shown.stderr).toBe(0);
    expect(progressLines(shown.stderr, 'show')).toEqual([
      expect.stringMatching(
        new RegExp(`^audit show: entries walked: ${head}/${head} \\(100\\.0%\\) \\d+/s ETA 0s$`),
      ),
    ]);
    expect(shown.stdout).not.toContain('audit show: ');

    const json = await cli(['audit', 'show', '--license', licenseId, '--progress-interval', '0', '--json']);
    expect(json.status, json.stderr).toBe(0);
    expect(json.stderr).toBe('');
  }, 60_000);

  it('export: tells the entries written after each page, against the range', async () => {
    const written: [number, number | undefined][] = [];
    const r = await exportAudit(
      config,
      { from: '2', out: join(ws.dir, 'pages.jsonl'), pageSize: 2, onPage: (n, of) => written.push([n, of]) },
      logger,
    );
    expect(r.entries).toBe(head - 1);
    expect(written.map(([n]) => n)).toEqual(
      Array.from({ length: Math.ceil((head - 1) / 2) }, (_, i) => Math.min(head - 1, 2 * (i + 1))),
    );
    expect(written.every(([, of]) => of === head - 1)).toBe(true);

    const out = join(ws.dir, 'whole.jsonl');
    const shown = await cli(['audit', 'export', '--out', out, '--progress-interval', '0']);
    expect(shown.status, shown.stderr).toBe(0);
    expect(progressLines(shown.stderr, 'export')).toEqual([
      expect.stringMatching(
        new RegExp(`^audit export: entries written: ${head}/${head} \\(100\\.0%\\) \\d+/s ETA 0s$`),
      ),
    ]);
    expect(shown.stdout).not.toContain('audit export: entries');
  }, 60_000);

  it('export of a date range: the entries written, with no total known ahead', async () => {
    const written: [number, number | undefined][] = [];
    const r = await exportAudit(
      config,
      { from: '2000-01-01', out: join(ws.dir, 'dated.jsonl'), onPage: (n, of) => written.push([n, of]) },
      logger,
    );
    expect(written).toEqual([[r.entries, undefined]]);
  });
});
