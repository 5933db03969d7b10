/**
 * Checkpoints become opaque: one `state` text a connector writes and alone reads (JSON carrying
 * its own format version), instead of a (cursor, key) pair the ledger knew the shape of. Every
 * stored pair is carried over as `{"v":1,"cursor":…,"key":…}` — the keyset connectors' version 1
 * (connectors/key-position.ts), which the xml-files connector also used, its file and record
 * riding inside the pair — so every pipeline resumes where it stood. The table is rebuilt (a
 * handful of rows, one per pipeline) so both backends end with the same columns.
 *
 * The encoding is written out here rather than imported: a migration is frozen history, and the
 * ledger does not import connectors.
 */
import type { Knex } from 'knex';

const TS = { useTz: true, precision: 3 } as const;

interface PairRow {
  pipeline: string;
  cursor: string | null;
  key: string;
  run_id: string | null;
  updated_at: unknown;
}

interface StateRow {
  pipeline: string;
  state: string;
  run_id: string | null;
  updated_at: unknown;
}

function encodeV1(cursor: string | null, key: string): string {
  return JSON.stringify({ v: 1, cursor, key });
}

function decodeV1(state: string): { cursor: string | null; key: string } | null {
  try {
    const p = JSON.parse(state) as { v?: unknown; cursor?: unknown; key?: unknown };
    if (p.v !== 1 || typeof p.key !== 'string' || (p.cursor !== null && typeof p.cursor !== 'string'))
      return null;
    return { cursor: p.cursor, key: p.key };
  } catch {
    return null;
  }
}

export const opaqueCheckpointsMigration = {
  name: '022-opaque-checkpoints',

  async up(knex: Knex): Promise<void> {
    const old: PairRow[] = await knex('checkpoints').select(
      'pipeline',
      'cursor',
      'key',
      'run_id',
      'updated_at',
    );
    await knex.schema.createTable('checkpoints_v2', (t) => {
      t.text('pipeline').primary();
      t.text('state').notNullable();
      // The run that last advanced it: tells an operator which run a resume continues from.
      t.text('run_id').nullable();
      t.timestamp('updated_at', TS).notNullable();
    });
    for (const r of old) {
      await knex('checkpoints_v2').insert({
        pipeline: r.pipeline,
        state: encodeV1(r.cursor, r.key),
        run_id: r.run_id,
        // Copied as stored: text on SQLite, a Date from PostgreSQL's timestamptz.
        updated_at: r.updated_at,
      });
    }
    await knex.schema.dropTable('checkpoints');
    await knex.schema.renameTable('checkpoints_v2', 'checkpoints');
  },

  async down(knex: Knex): Promise<void> {
    const rows: StateRow[] = await knex('checkpoints').select('pipeline', 'state', 'run_id', 'updated_at');
    await knex.schema.createTable('checkpoints_v1', (t) => {
      t.text('pipeline').primary();
      t.text('cursor').nullable();
      t.text('key').notNullable();
      t.text('run_id').nullable();
      t.timestamp('updated_at', TS).notNullable();
    });
    // A checkpoint in any other format has no place in the older schema: that pipeline reads
    // its source from the start, which a replayed page makes harmless (content hashes match).
    for (const r of rows) {
      const pair = decodeV1(r.state);
      if (!pair) continue;
      await knex('checkpoints_v1').insert({
        pipeline: r.pipeline,
        ...pair,
        run_id: r.run_id,
        updated_at: r.updated_at,
      });
    }
    await knex.schema.dropTable('checkpoints');
    await knex.schema.renameTable('checkpoints_v1', 'checkpoints');
  },
};
