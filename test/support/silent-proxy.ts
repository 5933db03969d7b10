/**
 * A TCP pass-through to a database on 127.0.0.1 that a test turns silent: a connection whose client
 * sends bytes matching `marker` stops being answered (and forwarded) from then on; after
 * `silence()`, every connection does, and new ones are taken and never answered — a database that
 * stopped answering with its connections still open; after `silenceFrom(n)`, only the n-th
 * connection and those after it. `speak()` forwards new connections again.
 */
import { connect, createServer, type Socket } from 'node:net';

export interface SilentProxy {
  readonly port: number;
  /** Connections gone silent on the marker. */
  readonly silenced: number;
  /** Connections from the client not closed yet. */
  readonly open: number;
  silence(): void;
  /** The `n`-th connection from the proxy's start (1 the first) and each after it are never answered. */
  silenceFrom(n: number): void;
  speak(): void;
  close(): Promise<void>;
}

export async function silentProxy(port: number, marker?: RegExp): Promise<SilentProxy> {
  const sockets = new Set<Socket>();
  let all = false;
  let from = Number.POSITIVE_INFINITY;
  let accepted = 0;
  let silenced = 0;
  let open = 0;
  const server = createServer((client) => {
    sockets.add(client);
    open += 1;
    accepted += 1;
    client.on('close', () => {
      open -= 1;
    });
    client.on('error', () => undefined);
    // Read and dropped: the client's end of the connection is still seen (and ends this side).
    if (all || accepted >= from) {
      client.resume();
      return;
    }
    const up = connect(port, '127.0.0.1');
    sockets.add(up);
    up.on('error', () => undefined);
    let silent = false;
    client.on('data', (chunk: Buffer) => {
      if (!silent && marker?.test(chunk.toString('latin1'))) {
        silent = true;
        silenced += 1;
      }
      if (!silent && !all) up.write(chunk);
    });
    up.on('data', (chunk: Buffer) => {
      if (!silent && !all) client.write(chunk);
    });
    client.on('close', () => up.destroy());
    up.on('close', () => client.destroy());
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    port: (server.address() as { port: number }).port,
    get silenced() {
      return silenced;
    },
    get open() {
      return open;
    },
    silence() {
      all = true;
    },
    silenceFrom(n: number) {
      from = n;
    },
    speak() {
      all = false;
      from = Number.POSITIVE_INFINITY;
    },
    async close() {
      for (const s of sockets) s.destroy();
      await new Promise((r) => server.close(r));
    },
  };
}

/** The promise's outcome (its value or its error), or `hung` when it has not settled within `ms`. */
export async function outcomeWithin(ms: number, p: Promise<unknown>): Promise<unknown> {
  let timer: NodeJS.Timeout | undefined;
  const hung = new Promise<string>((resolve) => {
    timer = setTimeout(() => resolve('hung'), ms);
  });
  try {
    return await Promise.race([
      p.then(
        (v) => v,
        (e: unknown) => e,
      ),
      hung,
    ]);
  } finally {
    clearTimeout(timer);
  }
}
