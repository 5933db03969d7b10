/**
 * A TLS server standing where a database listens, for tests of a client's TLS settings with no
 * database server: it ends each connection once the handshake is done, as a database refusing our
 * login would (a plain connect packet, or a client that does not trust its certificate, fails the
 * handshake), and records what each connection showed.
 */
import type { AddressInfo } from 'node:net';
import { createServer, type TLSSocket } from 'node:tls';
import type { IssuedCertificate } from './test-ca.js';

export interface TlsListener {
  port: number;
  /** What each connection showed: a finished TLS handshake (with the client certificate's CN), or none. */
  seen: { handshake: boolean; clientCn?: string }[];
  /** Resolves once every connection accepted so far has closed, its outcome in `seen`. */
  settled(): Promise<void>;
  close(): Promise<void>;
}

export async function tlsListener(server: IssuedCertificate, ca: string): Promise<TlsListener> {
  const seen: TlsListener['seen'] = [];
  const tls = createServer({
    cert: server.cert,
    key: server.key,
    ca,
    requestCert: true,
    rejectUnauthorized: false,
  });
  tls.on('secureConnection', (s: TLSSocket) => {
    const cn = s.getPeerCertificate()?.subject?.CN;
    seen.push({ handshake: true, ...(typeof cn === 'string' ? { clientCn: cn } : {}) });
    s.destroy();
  });
  tls.on('tlsClientError', () => seen.push({ handshake: false }));
  // A refused handshake is told to the server after the client has given up: a test reads `seen`
  // once every connection has closed, so none is counted in the next test's.
  let open = 0;
  let waiting: (() => void)[] = [];
  tls.on('connection', (socket) => {
    open += 1;
    socket.on('close', () => {
      open -= 1;
      if (open > 0) return;
      for (const w of waiting) w();
      waiting = [];
    });
  });
  await new Promise<void>((r) => tls.listen(0, '127.0.0.1', r));
  return {
    port: (tls.address() as AddressInfo).port,
    seen,
    settled: () => (open === 0 ? Promise.resolve() : new Promise<void>((r) => waiting.push(r))),
    close: () => new Promise<void>((r) => tls.close(() => r())),
  };
}
