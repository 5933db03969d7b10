/**
 * `audit verify` on a ledger whose recorded version ids take more ranges than it holds (50,000 by
 * default; a few here, through the test hook LICBRIDGE_TEST_AUDIT_RANGE_CAP) checks the ids a
 * window at a time, each after another walk of the whole chain — as long as the first walk, and
 * it said nothing. So did the walk for the entries nearest the unrecorded versions it names. Each
 * now shows its counts on stderr through the same progress as the first walk; `--json` none.
 */
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { encodeKeyPosition } from '../../connectors/key-position.js';
import { createLogger } from '../../core/logger.js';
import { openLedger } from '../../ledger/open-ledger.js';
import { candidates, licenseIdOf } from '../ledger/fixtures.js';
import { licbridge } from '../support/cli.js';
import { createDemoWorkspace, type DemoWorkspace } from '../support/demo-workspace.js';

const logger = createLogger({ level: 'silent' });
const PIPELINE = 'windows';
/** Pages of versions, each followed by an id no version took: as many ranges of recorded ids. */
const PAGES = 8;
/** Ranges held at once: a window holds half of them, so the ids take several windows. */
const CAP = '4';

/** The progress lines of a command's stderr (its log lines are JSON or start with a level). */
const progressLines = (stderr: string) => stderr.split('\n').filter((l) => l.startsWith('audit verify: '));

describe('audit verify: progress of the walks made again', () => {
  let ws: DemoWorkspace;
  let ledgerFile: string;
  /** An id no version took, below the newest: a version forged there no entry records. */
  let gapId = 0;
  const cli = (args: string[], env: Record<string, string> = {}) =>
    licbridge([...args, '--config', ws.configFile], {
      cwd: ws.dir,
      env: { LICBRIDGE_LOG_LEVEL: 'silent', ...env },
    });

  beforeAll(async () => {
    ws = await createDemoWorkspace({ rows: 5, seed: 11 });
    ledgerFile = join(ws.dir, 'data', 'ledger.db');
    const ledger = await openLedger(`sqlite://${ledgerFile}`, { logger });
    try {
      await ledger.startRun({ runId: 'run-1', pipeline: PIPELINE, mode: 'incremental' });
      for (let n = 1; n <= PAGES; n += 1) {
        await ledger.commitPage({
          pipeline: PIPELINE,
          runId: 'run-1',
          checkpoint: encodeKeyPosition({ cursor: null, key: `k${n}` }),
          rowsRead: 2,
          candidates: candidates(2 * n - 1, 2, { pipeline: PIPELINE }),
          quarantined: [],
        });
        // An id the sequence skips, as a rolled-back page leaves on PostgreSQL.
        const db = new Database(ledgerFile);
        try {
          const max = (db.prepare('select max(version_id) as m from license_versions').get() as { m: number })
            .m;
          if (n === 1) gapId = max + 1;
          db.prepare("update sqlite_sequence set seq = ? where name = 'license_versions'").run(max + 1);
        } finally {
          db.close();
        }
      }
    } finally {
      await ledger.close();
    }
  }, 120_000);
  afterAll(async () => ws?.cleanup().catch(() => undefined));

  it('shows each window: its walk of the chain, then its version ids; none with --json or one window', async () => {
    const shown = await cli(['audit', 'verify', '--progress-interval', '0'], {
      LICBRIDGE_TEST_AUDIT_RANGE_CAP: CAP,
    });
    expect(shown.status, shown.stderr).toBe(0);
    const entries = Number(/chain intact: (\d+) entries/.exec(shown.stdout)?.[1]);
    expect(entries).toBeGreaterThan(PAGES);
    const lines = progressLines(shown.stderr);
    const walks = lines.flatMap((l) => {
      const m =
        /^audit verify: window (\d+): entries walked again: (\d+)\/(\d+) \(([\d.]+)%\) \d+\/s ETA \S+$/.exec(
          l,
        );
      return m ? [{ window: Number(m[1]), walked: Number(m[2]), total: Number(m[3]) }] : [];
    });
    // Each window past the first, in turn, walks the whole chain against the head.
    const windows = [...new Set(walks.map((w) => w.window))];
    expect(windows.length).toBeGreaterThan(1);
    expect(windows).toEqual(windows.map((_, i) => i + 2));
    expect(walks.every((w) => w.total === entries)).toBe(true);
    for (const window of windows) {
      expect(walks.filter((w) => w.window === window).at(-1)?.walked).toBe(entries);
    }
    // Each window's version ids after its walk, counted from 0 again (a window's first page may
    // read ids past its end, which the next window reads again: the count is of ids read).
    for (const window of [1, ...windows]) {
      const label = window === 1 ? 'version ids read' : `window ${window}: version ids read`;
      const ids = lines.findIndex((l) => new RegExp(`^audit verify: ${label}: [1-9]\\d* \\d+/s$`).test(l));
      expect(ids, label).toBeGreaterThan(-1);
      const walked = lines.findLastIndex((l) =>
        l.startsWith(`audit verify: window ${window}: entries walked`),
      );
      expect(ids).toBeGreaterThan(walked);
    }
    // Counts only: no license id, no version's values.
    expect(shown.stderr).not.toContain(licenseIdOf(1, PIPELINE));

    // The ledger's ids in one window (the default cap): no walk made again.
    const one = await cli(['audit', 'verify', '--progress-interval', '0']);
    expect(one.status, one.stderr).toBe(0);
    expect(progressLines(one.stderr).filter((l) => l.includes('window'))).toEqual([]);
    expect(progressLines(one.stderr)).toContainEqual(
      expect.stringMatching(new RegExp(`^audit verify: version ids read: ${2 * PAGES} \\d+/s$`)),
    );

    const json = await cli(['audit', 'verify', '--progress-interval', '0', '--json'], {
      LICBRIDGE_TEST_AUDIT_RANGE_CAP: CAP,
    });
    expect(json.status, json.stderr).toBe(0);
    expect(JSON.parse(json.stdout)).toMatchObject({ ok: true, entries });
    expect(json.stderr).toBe('');
  }, 60_000);

  it('shows the walk for the entries nearest a version no entry records; none with --json', async () => {
    const db = new Database(ledgerFile);
    try {
      // A version inserted straight into the ledger, in the gap after the first page.
      const template = db
        .prepare('select * from license_versions where license_id = ? and version = 1')
        .get(licenseIdOf(1, PIPELINE)) as Record<string, unknown>;
      const row = {
        ...template,
        version_id: gapId,
        version: 2,
        identifier: `${licenseIdOf(1, PIPELINE)}.002.F`,
        content_hash: 'hash:forged',
      };
      const columns = Object.keys(row);
      db.prepare(
        `insert into license_versions (${columns.join(', ')}) values (${columns.map((c) => `@${c}`).join(', ')})`,
      ).run(row);
    } finally {
      db.close();
    }
    try {
      const shown = await cli(['audit', 'verify', '--progress-interval', '0']);
      expect(shown.status, shown.stderr).toBe(1);
      const entries = Number(/the chain's (\d+) entries follow each other/.exec(shown.stdout)?.[1]);
      expect(entries).toBeGreaterThan(PAGES);
      const nearest = progressLines(shown.stderr).filter((l) => l.includes('nearest entries'));
      expect(nearest).toEqual([
        expect.stringMatching(
          new RegExp(
            `^audit verify: nearest entries: entries walked again: ${entries}/${entries} \\(100\\.0%\\) \\d+/s ETA 0s$`,
          ),
        ),
      ]);

      const json = await cli(['audit', 'verify', '--progress-interval', '0', '--json']);
      expect(json.status).toBe(1);
      expect(JSON.parse(json.stdout)).toMatchObject({ ok: false, firstBad: { kind: 'unrecorded' } });
      expect(json.stderr).toBe('');
    } finally {
      const db2 = new Database(ledgerFile);
      try {
        db2.prepare('delete from license_versions where version_id = ?').run(gapId);
      } finally {
        db2.close();
      }
    }
  }, 60_000);
});
