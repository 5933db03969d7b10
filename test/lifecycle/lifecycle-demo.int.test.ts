/**
 * The lifecycle clock on the demo department, end to end, with a pinned today:
 * - licenses past `validTo` are `expired` in the ledger and at the province simulator, while the
 *   revoked, cancelled and suspended keep their status (precedence);
 * - a license whose `validTo` is tomorrow is expired by `lifecycle run --today <day after>` with
 *   exactly one new `expire` version, delivered; a second tick creates nothing; a full re-read
 *   afterwards finds every license unchanged;
 * - the demo's renewal rows (YZSBH names the license they continue) reach the simulator as
 *   renewals (`02` in the national push list) carrying their predecessors' identifiers.
 * Expected values are read from the legacy database itself, not from licbridge.
 */
import { readFile, writeFile } from 'node:fs/promises';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../config/loader.js';
import type { Config } from '../../config/types.js';
import { addDays } from '../../core/local-date.js';
import { createLogger } from '../../core/logger.js';
import type { Ledger, StoredVersion } from '../../ledger/ledger.js';
import { openLedger } from '../../ledger/open-ledger.js';
import { runPipelines } from '../../pipelines/run-pipelines.js';
import { licbridge } from '../support/cli.js';
import { createDemoWorkspace, type DemoWorkspace } from '../support/demo-workspace.js';

const logger = createLogger({ level: 'silent' });
const PIPELINE = 'food-business-licenses';

interface LegacyRow {
  ID: number;
  XKZBH: string;
  YXQZ: string;
  ZT: string;
}

const iso = (yyyymmdd: string) => `${yyyymmdd.slice(0, 4)}-${yyyymmdd.slice(4, 6)}-${yyyymmdd.slice(6)}`;

const ROWS = 150;

describe('the lifecycle clock on the demo', () => {
  let ws: DemoWorkspace;
  let config: Readonly<Config>;
  let legacy: LegacyRow[];
  let today: string;
  let tomorrowRow: LegacyRow;
  const savedToday = process.env.LICBRIDGE_TODAY;

  const withLedger = async <T>(work: (l: Ledger) => Promise<T>): Promise<T> => {
    const ledger = await openLedger(config.ledger.url, { logger });
    try {
      return await work(ledger);
    } finally {
      await ledger.close();
    }
  };

  /** Every license's latest version, by number (trimmed as the mapping trims it). */
  const latestByNumber = () =>
    withLedger(async (ledger) => {
      const rows = await ledger.pipelineLicenses(PIPELINE);
      const versions = await ledger.getVersions(rows.map((r) => r.versionId));
      return new Map(versions.map((v) => [v.payload.number, v]));
    });

  beforeAll(async () => {
    // Two pages; every status the demo plants (valid, revoked, suspended, cancelled), ~65 licenses
    // past validTo by the day chosen below, and two renewal rows: what 300 rows held, in half the
    // reading, signing and delivering.
    ws = await createDemoWorkspace({ rows: ROWS });
    // The national push coding at the province, so a renewal must name its predecessor.
    const yaml = await readFile(ws.configFile, 'utf8');
    await writeFile(
      ws.configFile,
      yaml.replace('    kind: rest-json\n', '    kind: rest-json\n    codes: { list: national-push }\n'),
    );
    config = await loadConfig({ file: ws.configFile, env: {} });
    const db = new Database(ws.legacyDb, { readonly: true });
    legacy = db
      .prepare('SELECT ID, TRIM(XKZBH) XKZBH, TRIM(YXQZ) YXQZ, TRIM(ZT) ZT FROM T_SPXK_XKZ')
      .all() as LegacyRow[];
    db.close();
    // Today: the day before some valid license's last valid day is tomorrow.
    const valid = legacy
      .filter((r) => r.ZT === '1' && /^20\d{6}$/.test(r.YXQZ))
      .sort((a, b) => (a.YXQZ < b.YXQZ ? -1 : 1));
    tomorrowRow = valid[Math.floor(valid.length / 2)] as LegacyRow;
    today = addDays(iso(tomorrowRow.YXQZ), -1);
    process.env.LICBRIDGE_TODAY = today;
  }, 120_000);

  afterAll(async () => {
    if (savedToday === undefined) delete process.env.LICBRIDGE_TODAY;
    else process.env.LICBRIDGE_TODAY = savedToday;
    await ws?.cleanup();
  });

  it('publishes licenses past validTo as expired, and keeps revoked, cancelled and suspended ones', async () => {
    const [s] = await runPipelines(config, { pipelines: [PIPELINE], full: false, logger });
    expect(s?.state).toBe('done');
    const latest = await latestByNumber();
    const wantStatus = (r: LegacyRow): string => {
      const stated = ({ '1': 'valid', '0': 'revoked', '2': 'suspended', '3': 'cancelled' } as const)[
        r.ZT as '1'
      ];
      return stated === 'valid' && /^20\d{6}$/.test(r.YXQZ) && iso(r.YXQZ) < today ? 'expired' : stated;
    };
    let expired = 0;
    let checked = 0;
    for (const r of legacy) {
      const v = latest.get(r.XKZBH);
      if (!v) continue; // quarantined by the demo's planted faults
      checked++;
      expect(v.status, `row ${r.ID}`).toBe(wantStatus(r));
      if (v.status === 'expired') expired++;
    }
    expect(checked).toBeGreaterThan(ROWS * 0.8);
    expect(expired).toBeGreaterThan(20);
    // The platform holds the same, in the national status codes.
    const CODES: Record<string, string> = {
      valid: '01',
      suspended: '02',
      cancelled: '04',
      expired: '05',
      revoked: '07',
    };
    const atPlatform = new Map(ws.simulator.licenses().map((l) => [l.license.zzbh, l.license.zzzt]));
    for (const v of latest.values()) expect(atPlatform.get(v.payload.number)).toBe(CODES[v.status]);
  }, 120_000);

  it('sends the demo’s renewal rows (YZSBH) as renewals carrying their predecessors’ identifiers', async () => {
    // The generator's renewals: rows naming the number of the license they continue.
    const db = new Database(ws.legacyDb, { readonly: true });
    const renewals = db
      .prepare('SELECT TRIM(XKZBH) XKZBH, TRIM(YZSBH) YZSBH FROM T_SPXK_XKZ WHERE YZSBH IS NOT NULL')
      .all() as { XKZBH: string; YZSBH: string }[];
    db.close();
    expect(renewals.length).toBeGreaterThan(0);
    // Every version so far (the demo is small): one page in id order.
    const versions = await withLedger((ledger) =>
      ledger.versionPage({ afterVersionId: 0, limit: 100_000, pipeline: PIPELINE }),
    );
    const first = (number: string) =>
      versions.filter((v) => v.payload.number === number).sort((a, b) => a.version - b.version)[0];
    const atPlatform = ws.simulator.licenses();
    for (const r of renewals) {
      const renewed = first(r.XKZBH) as StoredVersion;
      const old = first(r.YZSBH) as StoredVersion;
      expect(renewed.operation, r.XKZBH).toBe('renew');
      // The predecessor's latest version when the renewal was read: its first (the tick comes later).
      expect(renewed.payload.previousIdentifier).toBe(old.identifier);
      const sent = atPlatform.find((l) => l.license.zzbh === r.XKZBH && l.version === renewed.version);
      // 02: renewal in the national push list the province uses here.
      expect(sent?.operation).toBe('02');
      expect(sent?.license.yzzbs).toBe(old.identifier);
    }
    // Every other license went out as a new issue.
    const renewedNumbers = new Set(renewals.map((r) => r.XKZBH));
    const issued = versions.filter((v) => v.version === 1 && !renewedNumbers.has(v.payload.number));
    expect(issued.every((v) => v.operation === 'issue' && v.payload.previousIdentifier === undefined)).toBe(
      true,
    );
  }, 120_000);

  it('expires tomorrow’s license on the day after with one expire version, delivered; a second tick creates nothing', async () => {
    const before = await latestByNumber();
    const target = before.get(tomorrowRow.XKZBH) as StoredVersion;
    expect(target.status).toBe('valid');
    const accepted = ws.simulator.stats().accepted;
    const dayAfter = addDays(today, 2);
    // Every license still valid whose last valid day is before the day after — today's and
    // tomorrow's — expires; nothing else moves.
    const due = [...before.values()].filter(
      (v) => v.status === 'valid' && v.payload.validTo !== null && v.payload.validTo < dayAfter,
    );
    expect(due.map((v) => v.payload.number)).toContain(tomorrowRow.XKZBH);

    const first = await licbridge(['lifecycle', 'run', '--today', dayAfter, '--json', '-c', ws.configFile]);
    expect(first.status, first.stderr).toBe(0);
    const report = JSON.parse(first.stdout) as {
      pipelines: { pipeline: string; expired: number; outcome: string; delivered: Record<string, number> }[];
    };
    expect(report.pipelines[0]).toMatchObject({ pipeline: PIPELINE, outcome: 'ticked', expired: due.length });
    expect(report.pipelines[0]?.delivered.province).toBe(due.length);

    const after = await latestByNumber();
    const now = after.get(tomorrowRow.XKZBH) as StoredVersion;
    expect(now.version).toBe(target.version + 1);
    expect(now.operation).toBe('expire');
    expect(now.status).toBe('expired');
    const changed = [...after.values()].filter(
      (v) => v.versionId !== before.get(v.payload.number)?.versionId,
    );
    expect(changed.map((v) => v.payload.number).sort()).toEqual(due.map((v) => v.payload.number).sort());
    expect(ws.simulator.stats().accepted).toBe(accepted + due.length);
    const sent = ws.simulator.licenses().filter((l) => l.license.zzbh === tomorrowRow.XKZBH);
    expect(sent.map((l) => [l.version, l.operation, l.license.zzzt])).toContainEqual([
      now.version,
      '04',
      '05',
    ]);

    const second = await licbridge(['lifecycle', 'run', '--today', dayAfter, '--json', '-c', ws.configFile]);
    expect(second.status, second.stderr).toBe(0);
    expect(JSON.parse(second.stdout).pipelines[0]).toMatchObject({ outcome: 'done-today', expired: 0 });
    const again = await latestByNumber();
    expect([...again.values()].map((v) => v.versionId).sort()).toEqual(
      [...after.values()].map((v) => v.versionId).sort(),
    );
    expect(ws.simulator.stats().accepted).toBe(accepted + due.length);

    // The source, read again on that day, maps to what the tick wrote: nothing changes.
    process.env.LICBRIDGE_TODAY = dayAfter;
    const [full] = await runPipelines(config, { pipelines: [PIPELINE], full: true, logger });
    expect(full?.created).toBe(0);
  }, 180_000);
});
