import { connect, createServer, type Server, type Socket } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';

/**
 * A pass-through to Redis on 6379. `restart` drops every connection and, for `downMs`, closes each
 * new one as it comes (a server restarting), then forwards again. The server stays the test's own:
 * one opened while the command runs would be taken for a handle the command left open.
 */
export interface RestartingRedis {
  readonly port: number;
  restart(downMs: number, whileDown: () => Promise<void>): Promise<void>;
  /** Drops every connection and takes none from then on: a Redis that went down and stays down. */
  down(): void;
  close(): Promise<void>;
}

export async function restartingRedis(): Promise<RestartingRedis> {
  const sockets = new Set<Socket>();
  let up = true;
  const server: Server = createServer((client) => {
    client.on('error', () => undefined);
    if (!up) {
      client.destroy();
      return;
    }
    const redis = connect(6379, '127.0.0.1');
    for (const s of [client, redis]) {
      sockets.add(s);
      s.on('error', () => undefined);
      s.on('close', () => sockets.delete(s));
    }
    client.pipe(redis);
    redis.pipe(client);
    client.on('close', () => redis.destroy());
    redis.on('close', () => client.destroy());
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    port: (server.address() as { port: number }).port,
    async restart(downMs, whileDown) {
      up = false;
      for (const s of sockets) s.destroy();
      await whileDown();
      await sleep(downMs);
      up = true;
    },
    down() {
      up = false;
      for (const s of sockets) s.destroy();
    },
    async close() {
      for (const s of sockets) s.destroy();
      await new Promise((r) => server.close(r));
    },
  };
}
