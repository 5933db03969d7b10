import { connect, createServer, type Server, type Socket } from 'node:net';

/**
 * A TCP pass-through to a local server (a database, Redis) that a test can turn against its
 * clients: drop the connections open through it, hold new ones unanswered (a server that takes
 * connections and never speaks), or close them as they come (a server down). The listening server
 * is the test's own, opened before the command under test runs: one opened meanwhile would be
 * taken for a handle the command left open.
 */
export interface TcpProxy {
  readonly port: number;
  /** Connections taken and held unanswered. */
  readonly held: number;
  /**
   * What becomes of the connections made from now: `pass` forwards them; `hold` forwards
   * `afterPassing` more (none unless given), then takes the rest and never answers; `refuse` closes
   * each as it comes.
   */
  newConnections(mode: 'pass' | 'hold' | 'refuse', afterPassing?: number): void;
  /** Drops every connection open through it, as a restart, a proxy or a NAT may. */
  cut(): void;
  close(): Promise<void>;
}

/** A pass-through to 127.0.0.1:`port`, forwarding every connection until told otherwise. */
export async function tcpProxy(port: number): Promise<TcpProxy> {
  const sockets = new Set<Socket>();
  let mode: 'pass' | 'hold' | 'refuse' = 'pass';
  let passing = 0;
  let held = 0;
  const keep = (s: Socket) => {
    sockets.add(s);
    s.on('error', () => undefined);
    s.on('close', () => sockets.delete(s));
  };
  const server: Server = createServer((client) => {
    client.on('error', () => undefined);
    if (mode === 'refuse') {
      client.destroy();
      return;
    }
    if (mode === 'hold' && passing <= 0) {
      keep(client);
      held += 1;
      client.resume();
      return;
    }
    if (mode === 'hold') passing -= 1;
    const up = connect(port, '127.0.0.1');
    keep(client);
    keep(up);
    client.pipe(up);
    up.pipe(client);
    client.on('close', () => up.destroy());
    up.on('close', () => client.destroy());
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    port: (server.address() as { port: number }).port,
    get held() {
      return held;
    },
    newConnections(next, afterPassing = 0) {
      mode = next;
      passing = afterPassing;
    },
    cut() {
      for (const s of sockets) s.destroy();
    },
    async close() {
      for (const s of sockets) s.destroy();
      await new Promise((r) => server.close(r));
    },
  };
}
