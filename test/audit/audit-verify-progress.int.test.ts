/**
 * `licbridge audit verify` walks the whole chain (millions of entries over 20 years of a log), then
 * the ledger's version ids, then each export given with `--against` (hashed for its signature, then
 * compared), and said nothing until its verdict. It now shows each of those phases on stderr as counts. `--json` keeps stderr free of
 * it. `--progress-interval 0` writes a line at each page, so the test needs no clock: the default
 * waits five seconds before the first line.
 */
import { stat } from 'node:fs/promises';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../config/loader.js';
import { createLogger } from '../../core/logger.js';
import { openLedger } from '../../ledger/open-ledger.js';
import { runPipelines } from '../../pipelines/run-pipelines.js';
import { licbridge } from '../support/cli.js';
import { createDemoWorkspace, type DemoWorkspace } from '../support/demo-workspace.js';

const logger = createLogger({ level: 'silent' });

/** The progress lines of a command's stderr (its log lines are JSON or start with a level). */
const progressLines = (stderr: string) => stderr.split('\n').filter((l) => l.startsWith('audit verify: '));

describe('audit verify: progress', () => {
  let ws: DemoWorkspace;
  /** The ledger's version rows, as the pass over the version ids reads them. */
  let versionRows: number;
  const cli = (args: string[]) =>
    licbridge([...args, '--config', ws.configFile], {
      cwd: ws.dir,
      env: { LICBRIDGE_LOG_LEVEL: 'silent' },
    });

  beforeAll(async () => {
    ws = await createDemoWorkspace({ rows: 30, seed: 5 });
    const config = await loadConfig({ file: ws.configFile, env: {} });
    const [s] = await runPipelines(config, { pipelines: ['food-business-licenses'], full: false, logger });
    expect(s?.state).toBe('done');
    const db = new Database(join(ws.dir, 'data', 'ledger.db'), { readonly: true });
    try {
      versionRows = (db.prepare('select count(*) as n from license_versions').get() as { n: number }).n;
    } finally {
      db.close();
    }
    expect(versionRows).toBeGreaterThan(4);
  }, 120_000);
  afterAll(async () => ws?.cleanup().catch(() => undefined));

  it('tells the entries checked after each page, against the head, then the version ids read', async () => {
    const ledger = await openLedger(`sqlite://${join(ws.dir, 'data', 'ledger.db')}`, { logger });
    try {
      const pages: [number, number][] = [];
      const versions: number[] = [];
      const result = await ledger.verifyAudit({
        pageSize: 2,
        onPage: (checked, headSeq) => pages.push([checked, headSeq]),
        onVersions: (read) => versions.push(read),
      });
      expect(result).toMatchObject({ ok: true });
      const { entries, headSeq } = result;
      expect(entries).toBeGreaterThan(2);
      expect(pages).toHaveLength(Math.ceil(entries / 2));
      expect(pages.map(([c]) => c)).toEqual(pages.map((_, i) => Math.min(entries, 2 * (i + 1))));
      expect(pages.every(([, h]) => h === headSeq)).toBe(true);
      // Every version id read, a page of 2 at a time (and the empty page that ends it when they
      // are even), the count growing.
      expect(versions.slice(0, Math.floor(versionRows / 2))).toEqual(
        Array.from({ length: Math.floor(versionRows / 2) }, (_, i) => 2 * (i + 1)),
      );
      expect(versions.at(-1)).toBe(versionRows);
    } finally {
      await ledger.close();
    }
  });

  it('shows each phase on stderr, the export compared too; none with --json', async () => {
    const out = join(ws.dir, 'whole.jsonl');
    expect((await cli(['audit', 'export', '--out', out])).status).toBe(0);
    const shown = await cli(['audit', 'verify', '--against', out, '--progress-interval', '0']);
    expect(shown.status, shown.stderr).toBe(0);
    const entries = Number(/chain intact: (\d+) entries/.exec(shown.stdout)?.[1]);
    expect(entries).toBeGreaterThan(0);
    const lines = progressLines(shown.stderr);
    const size = (await stat(out)).size;
    expect(lines).toEqual([
      expect.stringMatching(
        new RegExp(`^audit verify: entries checked: ${entries}/${entries} \\(100\\.0%\\) \\d+/s ETA 0s$`),
      ),
      expect.stringMatching(new RegExp(`^audit verify: version ids read: ${versionRows} \\d+/s$`)),
      // A small export is hashed in one piece.
      expect.stringMatching(
        new RegExp(
          `^audit verify: export ${out.replaceAll('.', '\\.')}: bytes hashed: ${size}/${size} \\(100\\.0%\\) \\d+/s ETA 0s$`,
        ),
      ),
      expect.stringMatching(
        new RegExp(
          `^audit verify: export ${out.replaceAll('.', '\\.')}: entries compared: ${entries} \\d+/s$`,
        ),
      ),
    ]);
    // Never on stdout, which holds the verdict alone.
    expect(shown.stdout).not.toContain('audit verify: ');

    const json = await cli(['audit', 'verify', '--against', out, '--progress-interval', '0', '--json']);
    expect(json.status, json.stderr).toBe(0);
    expect(JSON.parse(json.stdout)).toMatchObject({ ok: true, entries });
    expect(json.stderr).toBe('');
  }, 60_000);

  it('refuses a --progress-interval that is no whole number of seconds', async () => {
    const r = await cli(['audit', 'verify', '--progress-interval', '1.5']);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain(
      'audit verify: expected `--progress-interval` to be a whole number of seconds, 0 or more, got `1.5`',
    );
  });
});
