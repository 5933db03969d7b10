/**
 * A TLS terminator on loopback, written with node:tls, for putting an HTTP simulator behind
 * (mutual) TLS as a government-network gateway would: it serves `cert`, and with `clientCa`
 * accepts only client certificates that CA issued; bytes are piped to `backendUrl` unchanged.
 */
import { connect as netConnect } from 'node:net';
import { createServer } from 'node:tls';

export interface TlsTerminator {
  /** `https://localhost:<port>`. */
  readonly url: string;
  close(): Promise<void>;
}

export async function startTlsTerminator(options: {
  backendUrl: string;
  cert: string;
  key: string;
  clientCa?: string;
}): Promise<TlsTerminator> {
  const backend = new URL(options.backendUrl);
  const server = createServer(
    {
      cert: options.cert,
      key: options.key,
      ...(options.clientCa ? { ca: options.clientCa, requestCert: true, rejectUnauthorized: true } : {}),
    },
    (socket) => {
      const upstream = netConnect(Number(backend.port), backend.hostname);
      socket.pipe(upstream).pipe(socket);
      const end = () => {
        socket.destroy();
        upstream.destroy();
      };
      for (const s of [socket, upstream]) {
        s.on('error', end);
        s.on('close', end);
      }
    },
  );
  server.on('tlsClientError', () => undefined);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  return {
    url: `https://localhost:${port}`,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
