import type { Server } from 'node:http';

/**
 * Latency delays a simulator's handlers wait on. `releaseAll()` ends every pending one at once,
 * so no handler outlives a closed server.
 */
export class PendingDelays {
  private readonly timers = new Map<NodeJS.Timeout, () => void>();

  wait(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const t = setTimeout(() => {
        this.timers.delete(t);
        resolve();
      }, ms);
      this.timers.set(t, resolve);
    });
  }

  releaseAll(): void {
    for (const [t, resolve] of this.timers) {
      clearTimeout(t);
      resolve();
    }
    this.timers.clear();
  }
}

/** Closes an HTTP server, ending held-open (timeout fault) and keep-alive connections, which would otherwise keep close() waiting forever. */
export async function closeHttpServer(server: Server): Promise<void> {
  const closed = new Promise<void>((resolve) => server.close(() => resolve()));
  server.closeAllConnections();
  await closed;
}

/**
 * Keeps idle keep-alive connections for a minute instead of Node's 5 s. Clients that keep idle
 * sockets open without a limit of their own (axios with a keep-alive agent) otherwise race the
 * server's close when they send after a pause of about 5 s — common on a loaded machine — and get
 * ECONNRESET, then a retry with back-off. Gateways in front of real platforms keep them 60 s or more.
 */
export function keepIdleConnections(server: { keepAliveTimeout: number; headersTimeout: number }): void {
  server.keepAliveTimeout = 65_000;
  // Must outlast keepAliveTimeout, or the header timer closes idle keep-alive sockets first.
  server.headersTimeout = 66_000;
}
