/**
 * Migration 022 on a ledger written before it: each stored (cursor, key) pair becomes the opaque
 * checkpoint the keyset connectors read (`{"v":1,"cursor":…,"key":…}`), so a SQL pipeline, a
 * key-only one and an XML export one each resume where they stood; undone, it gives the pairs back.
 */
import type { Knex } from 'knex';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeKeyPosition, encodeKeyPosition } from '../../connectors/key-position.js';
import { decodePosition } from '../../connectors/xml-files/position.js';
import type { Ledger } from '../../ledger/ledger.js';
import { MIGRATIONS } from '../../ledger/migrate.js';
import { openLedger } from '../../ledger/open-ledger.js';
import { BACKENDS, quietLogger, type TestDatabase } from './backends.js';
import { rawKnex } from './raw-knex.js';

const FROM_022 = MIGRATIONS.slice(MIGRATIONS.findIndex((m) => m.name === '022-opaque-checkpoints')).reverse();

const OLD = [
  { pipeline: 'food', cursor: '2024-03-01 08:00:00.123456', key: '17', run_id: 'r1' },
  { pipeline: 'keys', cursor: null, key: '000240', run_id: null },
  // The xml-files connector kept its file and record inside the pair (connectors/xml-files/position.ts).
  { pipeline: 'exports', cursor: '["E001.xml",4,"2024-03-05 08:00:00"]', key: '5', run_id: 'r2' },
];
const AT = '2026-01-02T03:04:05.678Z';

async function undo022(raw: Knex): Promise<void> {
  for (const m of FROM_022) {
    await m.down(raw);
    await raw('ledger_migrations').where({ name: m.name }).delete();
  }
}

describe.each(BACKENDS)('migration 022 on checkpoints stored as pairs ($name)', (backend) => {
  let database: TestDatabase;
  let ledger: Ledger;
  let raw: Knex;
  let columnsBefore: string[];

  beforeAll(async () => {
    database = await backend.create();
    ledger = await openLedger(database.url, { logger: quietLogger });
    await ledger.close();
    raw = rawKnex(database.url);
    await undo022(raw);
    columnsBefore = Object.keys(await raw('checkpoints').columnInfo()).sort();
    await raw('checkpoints').insert(OLD.map((r) => ({ ...r, updated_at: AT })));
    ledger = await openLedger(database.url, { logger: quietLogger });
  });
  afterAll(async () => {
    await ledger?.close();
    await raw?.destroy();
    await database?.dispose();
  });

  it('starts from the pair columns', () => {
    expect(columnsBefore).toEqual(['cursor', 'key', 'pipeline', 'run_id', 'updated_at']);
  });

  it('gives every pipeline the checkpoint its connector reads, at the same place', async () => {
    expect(Object.keys(await raw('checkpoints').columnInfo()).sort()).toEqual([
      'pipeline',
      'run_id',
      'state',
      'updated_at',
    ]);
    for (const r of OLD) {
      const cp = await ledger.getCheckpoint(r.pipeline);
      expect(cp).toBe(encodeKeyPosition({ cursor: r.cursor, key: r.key }));
      expect(decodeKeyPosition(cp as string, r.pipeline)).toEqual({ cursor: r.cursor, key: r.key });
    }
    expect(decodePosition((await ledger.getCheckpoint('exports')) as string, 'exports')).toEqual({
      file: 'E001.xml',
      index: 4,
    });
    const runIds = await raw('checkpoints').select('pipeline', 'run_id').orderBy('pipeline');
    expect(runIds).toEqual([
      { pipeline: 'exports', run_id: 'r2' },
      { pipeline: 'food', run_id: 'r1' },
      { pipeline: 'keys', run_id: null },
    ]);
  });

  it('is written and read as opaque text afterwards, and undone gives the pairs back', async () => {
    await ledger.startRun({ runId: 'r3', pipeline: 'keys', mode: 'incremental' });
    await ledger.commitPage({
      pipeline: 'keys',
      runId: 'r3',
      checkpoint: encodeKeyPosition({ cursor: null, key: '000480' }),
      rowsRead: 0,
      candidates: [],
      quarantined: [],
    });
    // Another connector's format, which the older schema cannot hold.
    await raw('checkpoints').insert({ pipeline: 'other', state: '{"v":7,"page":"x"}', updated_at: AT });
    await ledger.close();
    await undo022(raw);
    const back = await raw('checkpoints').select('pipeline', 'cursor', 'key').orderBy('pipeline');
    expect(back).toEqual([
      { pipeline: 'exports', cursor: OLD[2]?.cursor, key: '5' },
      { pipeline: 'food', cursor: OLD[0]?.cursor, key: '17' },
      { pipeline: 'keys', cursor: null, key: '000480' },
    ]);
    ledger = await openLedger(database.url, { logger: quietLogger });
    expect(await ledger.getCheckpoint('keys')).toBe(encodeKeyPosition({ cursor: null, key: '000480' }));
  });
});
