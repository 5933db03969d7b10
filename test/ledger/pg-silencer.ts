/**
 * A TCP pass-through to PostgreSQL whose connections a test turns silent, as a network that drops
 * packets leaves them (a firewall's idle timeout, a failover whose old address stops answering
 * without a reset, a paused VM): a silent connection takes the ledger's bytes and drops them, and
 * drops the server's too; both sides stay open, and the server never learns the ledger went (its
 * session sits as it was left). Connections opened later are forwarded unless `silence()` holds.
 */
import { once } from 'node:events';
import { type AddressInfo, connect, createServer, type Socket } from 'node:net';

export interface PgSilencer {
  readonly port: number;
  /** Connections silenced so far. */
  readonly silenced: number;
  /** Every open connection goes silent for good, and so does each new one until `speak()`. */
  silence(): void;
  /** New connections are forwarded again; those silenced stay silent. */
  speak(): void;
  /**
   * The next message from the ledger whose text matches `statement` silences its connection:
   * `dropped`, the message never reaches the server; `answer-lost`, it does and its answer and
   * everything after is dropped (for a COMMIT: committed, and the ledger does not hear it).
   */
  arm(statement: RegExp, when: 'dropped' | 'answer-lost'): void;
  close(): Promise<void>;
}

export async function startPgSilencer(upstream: URL): Promise<PgSilencer> {
  let armed: { statement: RegExp; when: 'dropped' | 'answer-lost' } | undefined;
  let all = false;
  let silenced = 0;
  const sockets = new Set<Socket>();
  const silencers = new Set<() => void>();
  const server = createServer({ allowHalfOpen: true }, (client) => {
    const db = connect(Number(upstream.port || 5432), upstream.hostname);
    sockets.add(client).add(db);
    client.on('error', () => undefined);
    db.on('error', () => undefined);
    let silent = false;
    const hush = () => {
      if (silent) return;
      silent = true;
      silenced++;
    };
    silencers.add(hush);
    if (all) hush();
    client.on('data', (chunk: Buffer) => {
      if (!silent && armed?.statement.test(chunk.toString('latin1'))) {
        const { when } = armed;
        armed = undefined;
        hush();
        if (when === 'answer-lost') db.write(chunk);
        return;
      }
      if (!silent) db.write(chunk);
    });
    db.on('data', (chunk: Buffer) => {
      if (!silent) client.write(chunk);
    });
    // A connection that still speaks passes its end on; a silent one's end never arrives.
    client.on('close', () => {
      silencers.delete(hush);
      if (!silent) db.destroy();
    });
    db.on('close', () => {
      if (!silent) client.destroy();
    });
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return {
    port: (server.address() as AddressInfo).port,
    get silenced() {
      return silenced;
    },
    silence() {
      all = true;
      for (const hush of silencers) hush();
    },
    speak() {
      all = false;
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

/** The ledger's URL through the silencer. */
export function throughSilencer(url: string, silencer: PgSilencer): string {
  const u = new URL(url);
  u.port = String(silencer.port);
  return u.toString();
}
