/**
 * A TCP pass-through to PostgreSQL that breaks one connection at a chosen statement, for tests of
 * what the ledger does when a connection is lost inside a transaction or during its COMMIT.
 */
import { once } from 'node:events';
import { type AddressInfo, connect, createServer, type Socket } from 'node:net';

export interface PgCutter {
  readonly port: number;
  /** Connections broken so far. */
  readonly cuts: number;
  /**
   * The next message from the ledger whose text matches `statement` breaks its connection:
   * `before` it reaches the server (the transaction rolls back), or `after` the server answered
   * it, the answer withheld (for a COMMIT: committed, and the ledger does not know); `stalled`:
   * the ledger's side is broken before the message reaches the server, whose side stays open and
   * silent, as a network that drops packets leaves it (the server sees its session idle in its
   * transaction until TCP keepalive gives up, hours later).
   */
  arm(statement: RegExp, when: 'before' | 'after' | 'stalled'): void;
  close(): Promise<void>;
}

export async function startPgCutter(upstream: URL): Promise<PgCutter> {
  let armed: { statement: RegExp; when: 'before' | 'after' | 'stalled' } | undefined;
  let cuts = 0;
  const sockets = new Set<Socket>();
  /** Server sides left open and silent (`stalled`), closed with the cutter. */
  const stalled = new Set<Socket>();
  const server = createServer((client) => {
    const db = connect(Number(upstream.port || 5432), upstream.hostname);
    sockets.add(client).add(db);
    let cutOnAnswer = false;
    const cut = () => {
      cuts++;
      client.destroy();
      db.destroy();
    };
    client.on('data', (chunk: Buffer) => {
      if (armed?.statement.test(chunk.toString('latin1'))) {
        const { when } = armed;
        armed = undefined;
        if (when === 'before') return cut();
        if (when === 'stalled') {
          cuts++;
          stalled.add(db);
          return client.destroy();
        }
        cutOnAnswer = true;
      }
      db.write(chunk);
    });
    db.on('data', (chunk: Buffer) => {
      if (stalled.has(db)) return;
      if (cutOnAnswer) return cut();
      client.write(chunk);
    });
    const end = () => {
      client.destroy();
      if (!stalled.has(db)) db.destroy();
    };
    client.on('error', end).on('close', end);
    db.on('error', end).on('close', end);
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return {
    port: (server.address() as AddressInfo).port,
    get cuts() {
      return cuts;
    },
    arm(statement, when) {
      armed = { statement, when };
    },
    async close() {
      for (const s of sockets) s.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** The ledger's URL through the cutter. */
export function throughCutter(url: string, cutter: PgCutter): string {
  const u = new URL(url);
  u.port = String(cutter.port);
  return u.toString();
}
