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
   * it, the answer withheld (for a COMMIT: committed, and the ledger does not know).
   */
  arm(statement: RegExp, when: 'before' | 'after'): void;
  close(): Promise<void>;
}

export async function startPgCutter(upstream: URL): Promise<PgCutter> {
  let armed: { statement: RegExp; when: 'before' | 'after' } | undefined;
  let cuts = 0;
  const sockets = new Set<Socket>();
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
        cutOnAnswer = true;
      }
      db.write(chunk);
    });
    db.on('data', (chunk: Buffer) => {
      if (cutOnAnswer) return cut();
      client.write(chunk);
    });
    const end = () => {
      client.destroy();
      db.destroy();
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
