/**
 * `licbridge status` (and each /metrics scrape) reads the certificate of every server licbridge
 * speaks TLS to; a PostgreSQL or MySQL server is first asked to start TLS in its own protocol
 * (core/tls-probe.ts). A server that took the connection and never answered (a stuck database, a
 * port forwarded to nothing) had the probe give up after its time, as it should, but the plain
 * connection stayed open: it was known to the probe only once the server had answered. One was
 * left open per probe. Every connection the probe opens is closed when it gives up now; the
 * server sees each one close.
 */
import { createServer, type Server, type Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { probeServerCertificate } from '../../core/tls-probe.js';

describe('the TLS probe against a server that never answers', { timeout: 30_000 }, () => {
  let server: Server;
  let port: number;
  const accepted: Socket[] = [];
  let onConnection: ((s: Socket) => void) | undefined;

  beforeAll(async () => {
    server = createServer((s) => {
      accepted.push(s);
      s.on('error', () => undefined);
      s.resume();
      onConnection?.(s);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    port = (server.address() as { port: number }).port;
  });
  afterAll(async () => {
    for (const s of accepted) s.destroy();
    await new Promise((resolve) => server.close(resolve));
  });

  it.each(['postgres', 'mysql', 'direct'] as const)(
    '%s: gives up, and closes its connection',
    async (startTls) => {
      const before = accepted.length;
      expect(await probeServerCertificate({ host: '127.0.0.1', port, startTls }, 200)).toBeUndefined();
      expect(accepted.length).toBe(before + 1);
      const connection = accepted[before] as Socket;
      // Resolves once the probe's side has closed it; with the connection left open, the case ran out.
      await new Promise<void>((resolve) => {
        if (connection.destroyed) resolve();
        else connection.once('close', () => resolve());
      });
      expect(connection.destroyed).toBe(true);
    },
  );
});
