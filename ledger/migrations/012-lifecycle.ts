/**
 * The lifecycle clock (docs/lifecycle.md):
 * - `licenses.valid_to`: the latest version's `validTo` (ISO `YYYY-MM-DD`, `null` for long-term),
 *   indexed with pipeline and status, so the daily tick finds the licenses still `valid` whose
 *   date has passed with one index range — never a scan of every license (or of JSON payloads).
 *   ISO dates compare correctly as text on both backends.
 * - `licenses.number`: the latest version's number (证照编号), indexed per pipeline, so a renewal
 *   naming the license it continues by number finds it (ledger/predecessors.ts).
 * - `lifecycle_ticks`: per pipeline, the last day ticked to the end (the watermark that makes a
 *   second tick on one day a no-op) and the day and run of a tick under way (a crashed tick
 *   resumes under its run).
 *
 * Existing licenses get `valid_to` and `number` from their latest version's payload.
 */
import type { Knex } from 'knex';

const TS = { useTz: true, precision: 3 } as const;

export const lifecycleMigration = {
  name: '012-lifecycle',

  async up(knex: Knex): Promise<void> {
    await knex.schema.alterTable('licenses', (t) => {
      t.text('valid_to').nullable();
      t.index(['pipeline', 'status', 'valid_to'], 'licenses_pipeline_status_valid_to_idx');
      t.text('number').nullable();
      t.index(['pipeline', 'number'], 'licenses_pipeline_number_idx');
    });
    const pg = knex.client.config.client === 'pg';
    for (const [column, field] of [
      ['valid_to', 'validTo'],
      ['number', 'number'],
    ] as const) {
      const value = pg ? `(v.payload::jsonb ->> '${field}')` : `json_extract(v.payload, '$.${field}')`;
      await knex.raw(
        `update licenses set ${column} = (
           select ${value} from license_versions v
            where v.license_id = licenses.license_id and v.version = licenses.latest_version)`,
      );
    }
    await knex.schema.createTable('lifecycle_ticks', (t) => {
      t.text('pipeline').primary();
      // The last day (`YYYY-MM-DD`, in lifecycle.timeZone) whose tick finished; null before the first.
      t.text('day').nullable();
      t.text('pending_day').nullable();
      t.text('run_id').nullable();
      t.integer('expired_count').notNullable().defaultTo(0);
      t.timestamp('updated_at', TS).notNullable();
    });
  },

  async down(knex: Knex): Promise<void> {
    await knex.schema.dropTableIfExists('lifecycle_ticks');
    await knex.schema.alterTable('licenses', (t) => {
      t.dropIndex(['pipeline', 'status', 'valid_to'], 'licenses_pipeline_status_valid_to_idx');
      t.dropIndex(['pipeline', 'number'], 'licenses_pipeline_number_idx');
      t.dropColumn('valid_to');
      t.dropColumn('number');
    });
  },
};
