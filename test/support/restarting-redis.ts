import { setTimeout as sleep } from 'node:timers/promises';
import { tcpProxy } from './tcp-proxy.js';

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
  const proxy = await tcpProxy(6379);
  const down = () => {
    proxy.newConnections('refuse');
    proxy.cut();
  };
  return {
    port: proxy.port,
    async restart(downMs, whileDown) {
      down();
      await whileDown();
      await sleep(downMs);
      proxy.newConnections('pass');
    },
    down,
    close: () => proxy.close(),
  };
}
