/**
 * Migration 021 on a ledger written before it: every row of the old `xml_files_read` table moves
 * into the generic `connector_state` (scope = record path, key = file name, value = the xml-files
 * connector's versioned fingerprint), the old table is gone, and the xml-files connector, resuming
 * on the upgraded ledger, skips exactly the files the old release had recorded as read.
 */
import { createHash } from 'node:crypto';
import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import type { Knex } from 'knex';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openXmlFilesSource } from '../../connectors/xml-files/index.js';
import type { Checkpoint } from '../../core/checkpoint.js';
import type { Ledger } from '../../ledger/ledger.js';
import { MIGRATIONS } from '../../ledger/migrate.js';
import { connectorStateMigration } from '../../ledger/migrations/021-connector-state.js';
import { openLedger } from '../../ledger/open-ledger.js';
import { RECORD_PATH, tempFolder, writeExport, xmlConfig } from '../connectors/xml-fixtures.js';
import { BACKENDS, quietLogger, type TestDatabase } from './backends.js';
import { rawKnex } from './raw-knex.js';

/** 021 and any migration after it, newest first: undone in this order, they give the schema before 021. */
const FROM_021 = MIGRATIONS.slice(MIGRATIONS.findIndex((m) => m.name === '021-connector-state')).reverse();

const stream = { table: RECORD_PATH, key: 'ID', cursor: 'GXSJ' };
const recs = (from: number, n: number) =>
  Array.from({ length: n }, (_, i) => ({ ID: String(from + i), GXSJ: `2024-03-0${1 + i} 08:00:00` }));
const READ_AT = '2026-01-02T03:04:05.678Z';
const OTHER_SHA = 'cd'.repeat(32);

interface OldRow {
  source: string;
  record_path: string;
  file_name: string;
  size: number;
  sha256: string;
  read_at: string;
}

function fingerprint(dir: string, name: string): { size: number; sha256: string } {
  const bytes = readFileSync(join(dir, name));
  return { size: bytes.length, sha256: createHash('sha256').update(bytes).digest('hex') };
}

async function readKeys(
  ledger: Ledger | undefined,
  name: string,
  dir: string,
  after: Checkpoint | null,
  stopAfterPages = Number.POSITIVE_INFINITY,
): Promise<{ keys: string[]; checkpoint: Checkpoint | null }> {
  const source = openXmlFilesSource(name, xmlConfig(dir), ledger ? { state: ledger } : {});
  const keys: string[] = [];
  let checkpoint = after;
  let pages = 0;
  for await (const page of source.read({ stream, after, pageSize: 1 })) {
    keys.push(...page.rows.map((r) => r.key));
    checkpoint = page.checkpoint;
    if (++pages >= stopAfterPages) break;
  }
  await source.close();
  return { keys, checkpoint };
}

describe.each(BACKENDS)('migration 021 on a ledger with files read before it ($name)', (backend) => {
  let database: TestDatabase;
  let ledger: Ledger;
  let raw: Knex;
  let dir: string;
  let checkpoint: Checkpoint | null;
  let oldRows: OldRow[];
  let before: { oldTable: boolean; stateTable: boolean };

  beforeAll(async () => {
    database = await backend.create();
    dir = tempFolder();
    await writeExport(dir, 'E001.xml', recs(1, 3));
    await writeExport(dir, 'E002.xml', recs(4, 2));
    // Where a run stopped: after the first record of E001 (read without a ledger, so nothing is
    // recorded by this release).
    ({ checkpoint } = await readKeys(undefined, 'food', dir, null, 1));

    ledger = await openLedger(database.url, { logger: quietLogger });
    await ledger.close();
    // Back to the schema before 021, as the previous release left it.
    raw = rawKnex(database.url);
    for (const m of FROM_021) {
      await m.down(raw);
      await raw('ledger_migrations').where({ name: m.name }).delete();
    }
    // The rows the previous release wrote once each file was read completely: both files of
    // `food`, and another source's file under another record path.
    oldRows = [
      {
        source: 'food',
        record_path: RECORD_PATH,
        file_name: 'E001.xml',
        ...fingerprint(dir, 'E001.xml'),
        read_at: READ_AT,
      },
      {
        source: 'food',
        record_path: RECORD_PATH,
        file_name: 'E002.xml',
        ...fingerprint(dir, 'E002.xml'),
        read_at: READ_AT,
      },
      {
        source: 'drugs',
        record_path: 'Data/Row',
        file_name: 'Y1.xml',
        size: 5_000_000_000,
        sha256: OTHER_SHA,
        read_at: READ_AT,
      },
    ];
    await raw('xml_files_read').insert(oldRows);
    before = {
      oldTable: await raw.schema.hasTable('xml_files_read'),
      stateTable: await raw.schema.hasTable('connector_state'),
    };
    // The upgrade: opening the ledger runs 021 (and anything after it) again.
    ledger = await openLedger(database.url, { logger: quietLogger });
  });

  afterAll(async () => {
    await ledger?.close();
    await raw?.destroy();
    await database?.dispose();
    rmSync(dir, { recursive: true, force: true });
  });

  it('starts from the previous schema: the files-read table, no connector state', () => {
    expect(before).toEqual({ oldTable: true, stateTable: false });
  });

  it('carries every row into connector state as the connector’s versioned value, and drops the old table', async () => {
    expect(await raw.schema.hasTable('xml_files_read')).toBe(false);
    const food = await ledger.stateEntries('food', RECORD_PATH);
    expect(food.map((e) => [e.key, JSON.parse(e.value), e.updatedAt.toISOString()])).toEqual(
      oldRows
        .filter((r) => r.source === 'food')
        .map((r) => [r.file_name, { v: 1, size: r.size, sha256: r.sha256 }, READ_AT]),
    );
    // A size past 2^32 stays exact (bigint on PostgreSQL comes back as text).
    const drugs = await ledger.stateEntries('drugs', 'Data/Row');
    expect(drugs.map((e) => [e.key, JSON.parse(e.value)])).toEqual([
      ['Y1.xml', { v: 1, size: 5_000_000_000, sha256: OTHER_SHA }],
    ]);
    expect(await ledger.stateEntries('food', 'Data/Row')).toEqual([]);
  });

  it('lets the connector resume as before: the files recorded are skipped, a new one is read', async () => {
    // Without the carried record the resume would finish E001 and read E002 again.
    expect((await readKeys(ledger, 'food', dir, checkpoint)).keys).toEqual([]);
    await writeExport(dir, 'E003.xml', recs(6, 2));
    expect((await readKeys(ledger, 'food', dir, checkpoint)).keys).toEqual(['6', '7']);
  });

  it('forgets a source’s carried state and no other', async () => {
    expect(await ledger.forgetState('drugs')).toBe(1);
    expect(await ledger.stateEntries('drugs', 'Data/Row')).toEqual([]);
    expect((await ledger.stateEntries('food', RECORD_PATH)).map((e) => e.key)).toEqual([
      'E001.xml',
      'E002.xml',
      'E003.xml',
    ]);
  });

  it('undoes itself: down puts the xml-files entries back in the old table', async () => {
    await ledger.close();
    await connectorStateMigration.down(raw);
    expect(await raw.schema.hasTable('connector_state')).toBe(false);
    const back: OldRow[] = await raw('xml_files_read')
      .select('source', 'record_path', 'file_name', 'size', 'sha256')
      .orderBy('file_name');
    expect(back.map((r) => [r.source, r.record_path, r.file_name, Number(r.size), r.sha256])).toEqual(
      ['E001.xml', 'E002.xml', 'E003.xml'].map((f) => [
        'food',
        RECORD_PATH,
        f,
        ...Object.values(fingerprint(dir, f)),
      ]),
    );
  });
});
