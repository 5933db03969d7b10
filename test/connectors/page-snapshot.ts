/**
 * What the page-snapshot tests of the SQL sources share. A key that is not unique holds two rows
 * at one cursor (K1, rows `a` and `b`); a page of 2 ends on one of them, and the test updates that
 * row (its cursor moves on) right after the page's statement is answered, before the tie is read.
 * Read from one snapshot, the page leaves no row of the tie unread.
 */
import type { Knex } from 'knex';
import { expect } from 'vitest';
import type { SourceConnector } from '../../connectors/source.js';

/** The rows of the tie table (key, cursor, name), as an INSERT's VALUES list. */
export const TIE_VALUES = `('K0', '2024-03-01 08:00:00', 'x'), ('K1', '2024-03-01 08:00:01', 'a'),
       ('K1', '2024-03-01 08:00:01', 'b'), ('K2', '2024-03-01 08:00:02', 'y')`;

/**
 * Hands each connection the source's pool gives out to `wrap`, once per connection (a driver
 * connection as knex holds it: mysql2's or node-postgres's). Returns the undo.
 */
export function wrapPooledConnections<C extends object>(
  connector: SourceConnector,
  wrap: (connection: C) => void,
): () => void {
  const client = (connector as unknown as { db: Knex }).db.client as unknown as {
    acquireConnection(): Promise<C>;
  };
  const acquire = client.acquireConnection.bind(client);
  const wrapped = new WeakSet<C>();
  client.acquireConnection = async () => {
    const connection = await acquire();
    if (!wrapped.has(connection)) {
      wrapped.add(connection);
      wrap(connection);
    }
    return connection;
  };
  return () => {
    client.acquireConnection = acquire;
  };
}

/** Every row was read, the untouched one of the tie among them; the updated one also at its new cursor. */
export function expectTieRead(read: readonly string[], updated: string | undefined): void {
  expect(['a', 'b']).toContain(updated);
  expect([...new Set(read)].sort()).toEqual(['a', 'b', 'x', 'y']);
  expect(read.filter((mc) => mc === updated)).toHaveLength(2);
}
