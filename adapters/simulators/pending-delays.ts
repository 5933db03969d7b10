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
