/**
 * The ledger's knex writes a failed statement's SQL into its error with `?` (`$1` on PostgreSQL)
 * where the values were bound, as the sources' and the front databases' do: by default knex pastes
 * every bound value in (a license's JSON, a holder's contacts, a source key, an objection's note),
 * and the message went on to logs, Redis and `status` with only the quote masking between it and
 * them. A unique-key violation on the ledger's own connection, with a value no SQL text holds. On
 * SQLite the values were pasted; PostgreSQL's message held `$1` before too (knex numbers the
 * placeholders before it pastes), and is held to it.
 */
import type { Knex } from 'knex';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { openLedger } from '../../ledger/open-ledger.js';
import { BACKENDS, quietLogger } from './backends.js';

/** Each knex openLedger makes, as it made it: its own connection and config, nothing in between. */
const made = vi.hoisted(() => [] as Knex[]);
vi.mock('knex', async (importOriginal) => {
  const real = (await importOriginal<{ default: (config: Knex.Config) => Knex }>()).default;
  const wrapped = (config: Knex.Config): Knex => {
    const k = real(config);
    made.push(k);
    return k;
  };
  return { default: wrapped, knex: wrapped };
});

// Made up: no one's name.
const NAME = 'Zhang 测试戊己';

describe.each(BACKENDS)('a failed statement of the $name ledger', (backend) => {
  const disposals: (() => Promise<void>)[] = [];
  afterAll(async () => {
    for (const d of disposals.reverse()) await d();
  });

  it('holds no bound value in its message', async () => {
    const db = await backend.create();
    const before = made.length;
    const ledger = await openLedger(db.url, { logger: quietLogger });
    disposals.push(
      () => db.dispose(),
      () => ledger.close(),
    );
    // The ledger's own: the one given knex's log, which openLedger routes to its logger.
    const k = made.slice(before).find((x) => x.client.config.log !== undefined) as Knex;
    const row = { id: 987654, name: NAME, batch: 424242, migration_time: new Date() };
    await k('ledger_migrations').insert(row);
    const failed = await k('ledger_migrations')
      .insert(row)
      .then(() => undefined)
      .catch((e: unknown) => e as Error);
    expect(failed).toBeInstanceOf(Error);
    const message = (failed as Error).message;
    expect(message).toMatch(/insert into .*ledger_migrations/);
    expect(message).toMatch(backend.name === 'postgres' ? /\$1/ : /\?/);
    expect(message).toMatch(/unique|duplicate/i);
    expect(message).not.toContain('测试戊己');
    expect(message).not.toContain('987654');
    expect(message).not.toContain('424242');
  });
});
