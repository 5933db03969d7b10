/**
 * A TCP pass-through to a PostgreSQL or MySQL/MariaDB server on 127.0.0.1 that loses the answer to a commit: once
 * armed, the `n`-th `COMMIT` a client sends is passed on to the server, which commits, and its
 * answer is held back. The connection then stays open and silent (`silent`), or is cut as soon as
 * the server has answered (`cut`): the client cannot tell whether its transaction committed.
 * Every other connection, and that one before the commit, passes bytes both ways unchanged.
 */
import { connect, createServer, type Socket } from 'node:net';

export interface CommitUnansweredProxy {
  readonly port: number;
  /** Commits whose answer was lost so far. */
  readonly lost: number;
  /**
   * The `n`-th `COMMIT` from now (1 the next) loses its answer, as `how` says; `refused` (MySQL
   * only): the server rolls the transaction back and the client hears a deadlock error, as a Galera
   * cluster answers a COMMIT that failed certification.
   */
  arm(n: number, how: 'silent' | 'cut' | 'refused'): void;
  close(): Promise<void>;
}

/**
 * knex's `COMMIT;`: pg sends it as a simple query ('Q', a 4-byte length); mysql2 as a COM_QUERY
 * packet (a 3-byte length, a sequence byte, then 0x03), the statement text in latin1 as it is.
 */
const COMMITS: Record<'postgres' | 'mysql', (chunk: Buffer) => boolean> = {
  postgres: (chunk) => /Q[\s\S]{4}COMMIT;\0/.test(chunk.toString('latin1')),
  mysql: (chunk) => chunk[4] === 0x03 && chunk.toString('latin1', 5, 12) === 'COMMIT;',
};

/** A MySQL packet: a 3-byte little-endian length, the sequence number, the body. */
function mysqlPacket(sequence: number, body: Buffer): Buffer {
  const header = Buffer.alloc(4);
  header.writeUIntLE(body.length, 0, 3);
  header[3] = sequence;
  return Buffer.concat([header, body]);
}

/** MySQL's ERR packet body for error 1213 (ER_LOCK_DEADLOCK), SQLSTATE 40001. */
const DEADLOCK = Buffer.concat([
  Buffer.from([0xff, 0xbd, 0x04]),
  Buffer.from('#40001Deadlock found when trying to get lock; try restarting transaction', 'latin1'),
]);

export async function commitUnansweredProxy(
  port: number,
  protocol: keyof typeof COMMITS = 'postgres',
): Promise<CommitUnansweredProxy> {
  const isCommit = COMMITS[protocol];
  const sockets = new Set<Socket>();
  let countdown = 0;
  let how: 'silent' | 'cut' | 'refused' = 'silent';
  let lost = 0;
  const server = createServer((client) => {
    sockets.add(client);
    client.on('error', () => undefined);
    const up = connect(port, '127.0.0.1');
    sockets.add(up);
    up.on('error', () => undefined);
    let muted = false;
    let refusing = false;
    client.on('data', (chunk: Buffer) => {
      if (muted) return;
      if (countdown > 0 && isCommit(chunk)) {
        countdown -= 1;
        if (countdown === 0 && how === 'refused') {
          refusing = true;
          up.write(mysqlPacket(chunk[3] ?? 0, Buffer.from('\x03ROLLBACK', 'latin1')));
          return;
        }
        if (countdown === 0) {
          muted = true;
          lost += 1;
          up.write(chunk);
          // The server's answer to the commit: it committed; the client never hears so.
          if (how === 'cut') up.once('data', () => client.destroy());
          return;
        }
      }
      up.write(chunk);
    });
    up.on('data', (chunk: Buffer) => {
      if (refusing) {
        refusing = false;
        client.write(mysqlPacket(chunk[3] ?? 1, DEADLOCK));
        return;
      }
      if (!muted) client.write(chunk);
    });
    client.on('close', () => up.destroy());
    up.on('close', () => client.destroy());
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    port: (server.address() as { port: number }).port,
    get lost() {
      return lost;
    },
    arm(n, mode) {
      countdown = n;
      how = mode;
    },
    async close() {
      for (const s of sockets) s.destroy();
      await new Promise((r) => server.close(r));
    },
  };
}
