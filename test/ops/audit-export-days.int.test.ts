/**
 * `audit export --from/--to` read a date (or a date-time without a zone) on the department's wall
 * clock (lifecycle.timeZone, China Standard Time by default): the day 2026-12-01 runs from 00:00
 * to 24:00 in Beijing, 2026-11-30T16:00Z to 2026-12-01T16:00Z. It was read as a UTC day, so an
 * export of the day left out what the nightly tick wrote between 00:00 and 08:00 Beijing time.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../config/loader.js';
import { wallClockInstant } from '../../core/local-date.js';
import { createLogger } from '../../core/logger.js';
import { runPipelines } from '../../pipelines/run-pipelines.js';
import { rehashChain } from '../audit/audit-chain-fixture.js';
import { licbridge } from '../support/cli.js';
import { createDemoWorkspace, type DemoWorkspace } from '../support/demo-workspace.js';

const logger = createLogger({ level: 'silent' });

describe('audit export of calendar days', () => {
  let ws: DemoWorkspace;
  beforeAll(async () => {
    ws = await createDemoWorkspace({ rows: 5, seed: 3 });
    const config = await loadConfig({ file: ws.configFile, env: {} });
    await runPipelines(config, { pipelines: ['food-business-licenses'], full: false, logger });
  }, 120_000);
  afterAll(async () => ws?.cleanup());

  it('a wall-clock time is the instant that zone shows it, across a change of offset too', () => {
    expect(wallClockInstant([2026, 12, 1], 'Asia/Shanghai').toISOString()).toBe('2026-11-30T16:00:00.000Z');
    expect(wallClockInstant([2026, 12, 1, 8, 30, 5, 250], 'Asia/Shanghai').toISOString()).toBe(
      '2026-12-01T00:30:05.250Z',
    );
    // New York springs forward on 2026-03-08 at 02:00 (EST, -05:00, to EDT, -04:00).
    expect(wallClockInstant([2026, 3, 8, 1, 0], 'America/New_York').toISOString()).toBe(
      '2026-03-08T06:00:00.000Z',
    );
    expect(wallClockInstant([2026, 3, 8, 3, 0], 'America/New_York').toISOString()).toBe(
      '2026-03-08T07:00:00.000Z',
    );
    expect(wallClockInstant([2026, 12, 1], 'UTC').toISOString()).toBe('2026-12-01T00:00:00.000Z');
  });

  it('takes the entries of the department’s day, from its 00:00 to the next day’s', async () => {
    const db = new Database(join(ws.dir, 'data', 'ledger.db'));
    const seqs = db.prepare('select seq from audit_log order by seq limit 4').pluck().all() as number[];
    expect(seqs).toHaveLength(4);
    // 23:00 on the 30th, 01:00 and 23:59 on the 1st, 00:00 on the 2nd, Beijing time.
    const at = [
      '2026-11-30T15:00:00.000Z',
      '2026-11-30T17:00:00.000Z',
      '2026-12-01T15:59:00.000Z',
      '2026-12-01T16:00:00.000Z',
    ];
    const set = db.prepare('update audit_log set at = ? where seq = ?');
    for (const [i, seq] of seqs.entries()) set.run(at[i], seq);
    db.prepare('update audit_log set at = ? where seq > ?').run('2027-01-01T00:00:00.000Z', seqs[3]);
    // Hashed again, head included: an export signs only a chain whose entries fit their hashes.
    rehashChain(db);
    db.close();
    const out = join(ws.dir, 'export.jsonl');
    const exported = async (from: string, to: string) => {
      const r = await licbridge(
        ['audit', 'export', '--from', from, '--to', to, '--out', out, '--config', ws.configFile],
        { cwd: ws.dir, env: { LICBRIDGE_LOG_LEVEL: 'silent' } },
      );
      expect(r.status, r.stderr).toBe(0);
      return (await readFile(out, 'utf8'))
        .split('\n')
        .filter(Boolean)
        .map((l) => (JSON.parse(l) as { seq: number }).seq);
    };
    expect(await exported('2026-12-01', '2026-12-02')).toEqual([seqs[1], seqs[2]]);
    expect(await exported('2026-12-01T01:00', '2026-12-01T23:59')).toEqual([seqs[1]]);
    // With an offset written, the instant is as written.
    expect(await exported('2026-12-01T00:00:00Z', '2026-12-02T00:00:00Z')).toEqual([seqs[2], seqs[3]]);
    const bad = await licbridge(
      ['audit', 'export', '--from', '2026-02-30', '--out', out, '--config', ws.configFile],
      {
        cwd: ws.dir,
      },
    );
    expect(bad.status).toBe(2);
  });
});
