/**
 * The crash test of the SQL connector: the built CLI runs a pipeline on a PostgreSQL legacy table,
 * is SIGKILLed after its first pages commit, and runs again. The ledger must then hold every
 * source row exactly once — one license at version 1 or a quarantine record — none twice, none lost.
 */
import { spawn } from 'node:child_process';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPgLegacyWorkspace, type PgLegacyWorkspace } from '../support/pg-legacy.js';

const ROOT = join(import.meta.dirname, '..', '..');
const BIN = join(ROOT, 'dist', 'cli', 'main.js');
const PIPELINE = 'food-business-licenses';

function ledgerCount(file: string, sql: string): number {
  try {
    const db = new Database(file, { readonly: true, fileMustExist: true });
    try {
      return Number((db.prepare(sql).get() as { n: number }).n);
    } finally {
      db.close();
    }
  } catch {
    return 0; // not created or not migrated yet
  }
}

function run(
  ws: PgLegacyWorkspace,
  killWhen?: () => boolean,
): Promise<{ status: number | null; signal: string | null; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, 'run', PIPELINE, '--json', '--config', ws.configFile], {
      cwd: ROOT,
    });
    let stderr = '';
    child.stderr.setEncoding('utf8').on('data', (d: string) => {
      stderr += d;
    });
    child.stdout.resume();
    const poll = killWhen
      ? setInterval(() => {
          if (killWhen()) child.kill('SIGKILL');
        }, 20)
      : undefined;
    const timer = setTimeout(() => child.kill('SIGKILL'), 120_000);
    child.on('error', reject);
    child.on('close', (status, signal) => {
      clearTimeout(timer);
      if (poll) clearInterval(poll);
      resolve({ status, signal, stderr });
    });
  });
}

describe('postgres source: killed mid-run, resumed from the ledger checkpoint', () => {
  let ws: PgLegacyWorkspace;
  beforeAll(async () => {
    // 400 rows in pages of 20, at most 400 rows/s: the first run is still reading when killed.
    ws = await createPgLegacyWorkspace({ rows: 400, pageSize: 20, sourceExtra: 'maxRowsPerSecond: 400' });
    // What the killed run held comes back soon, as in test/pipelines/run-killed.e2e.test.ts: its
    // jobs' locks after 2 s (queue.lockDurationMs, default 10 s), and the deliveries it leased
    // once their requests' timeouts have passed (a 1 s request timeout instead of 10 s).
    const yaml = await readFile(ws.configFile, 'utf8');
    const quick = yaml
      .replace(
        'connectTimeoutMs: 3000 }',
        'connectTimeoutMs: 3000, lockDurationMs: 2000, stalledIntervalMs: 500 }',
      )
      .replace('    kind: rest-json\n', '    kind: rest-json\n    timeoutMs: 1000\n');
    expect(quick).toContain('lockDurationMs: 2000');
    expect(quick).toContain('timeoutMs: 1000\n');
    await writeFile(ws.configFile, quick);
  });
  afterAll(async () => ws?.cleanup());

  it('yields every source row exactly once across the kill', async () => {
    const ledger = join(ws.dir, 'data', 'ledger.db');
    const committed = () =>
      ledgerCount(ledger, "SELECT count(*) AS n FROM checkpoints WHERE pipeline = 'food-business-licenses'");
    const licenses = () => ledgerCount(ledger, 'SELECT count(*) AS n FROM licenses');
    const first = await run(ws, () => committed() > 0 && licenses() >= 40);
    expect(first.signal, first.stderr).toBe('SIGKILL');
    const before = licenses();
    expect(before).toBeGreaterThan(0);
    expect(before).toBeLessThan(ws.keys.length);

    const second = await run(ws);
    expect(second.status, second.stderr).toBe(0);

    const db = new Database(ledger, { readonly: true });
    const licensed = db.prepare('SELECT source_key AS k, latest_version AS v FROM licenses').all() as {
      k: string;
      v: number;
    }[];
    const versions = db
      .prepare(
        'SELECT l.source_key AS k, count(*) AS n FROM license_versions v JOIN licenses l USING (license_id) GROUP BY l.source_key',
      )
      .all() as { k: string; n: number }[];
    const quarantined = db.prepare('SELECT DISTINCT source_key AS k FROM quarantine').all() as {
      k: string;
    }[];
    db.close();
    // One license per key, each at version 1 with exactly one version row: nothing was duplicated.
    expect(new Set(licensed.map((l) => l.k)).size).toBe(licensed.length);
    expect(licensed.every((l) => l.v === 1)).toBe(true);
    expect(versions.every((v) => Number(v.n) === 1)).toBe(true);
    // Every source key ended as a license or a quarantine record, never both: nothing was lost.
    const licensedKeys = new Set(licensed.map((l) => l.k));
    const quarantinedKeys = new Set(quarantined.map((q) => q.k));
    expect([...licensedKeys].filter((k) => quarantinedKeys.has(k))).toEqual([]);
    expect([...licensedKeys, ...quarantinedKeys].sort()).toEqual([...ws.keys].sort());
    expect(licensed.length).toBeGreaterThan(ws.keys.length / 2);
    // Two whole runs of the CLI: 35 s alone at load 6, past the default minute at load ~20.
  }, 180_000);
});
