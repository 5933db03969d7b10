/**
 * Reads a server's certificate without trusting it: to name its subject and expiry when a verified
 * connection was refused (the refused handshake itself hands nothing back), and for the expiry
 * watch of `licbridge status`. Only the certificate is looked at; no data is sent after the
 * handshake. PostgreSQL and MySQL start TLS inside their own protocol, so the probe speaks the
 * few bytes each needs first.
 */
import { connect as netConnect, type Socket } from 'node:net';
import { type ConnectionOptions, type DetailedPeerCertificate, connect as tlsConnect } from 'node:tls';
import {
  type CertificateFacts,
  certificateFacts,
  signedWithSm2,
  type TlsFailureKind,
  type TlsFailureWhere,
  tlsFailureError,
  tlsFailureKind,
} from './tls.js';

export type StartTls = 'direct' | 'postgres' | 'mysql';

export interface TlsEndpoint {
  readonly host: string;
  readonly port: number;
  readonly servername?: string;
  readonly startTls: StartTls;
}

/** The server certificate at `endpoint`, or undefined when none could be read in `timeoutMs`. */
export async function probeServerCertificate(
  endpoint: TlsEndpoint,
  timeoutMs = 3000,
): Promise<CertificateFacts | undefined> {
  // The socket to close however the attempt ends, known from the moment it is opened: the plain one
  // of a PostgreSQL or MySQL server that took the connection and never answered stayed open past
  // the timeout, one a probe (a `status`, each /metrics scrape), as it was known only once the
  // server had answered. Once TLS runs over it, the TLS socket is the one closed, as before: closing
  // the plain one as well ended the test process abruptly (postgres-tls, mariadb-tls).
  let socket: Socket | undefined;
  const timer = new Promise<undefined>((resolve) => setTimeout(() => resolve(undefined), timeoutMs).unref());
  const attempt = (async () => {
    let plain: Socket | undefined;
    if (endpoint.startTls !== 'direct') {
      plain = netConnect({ host: endpoint.host, port: endpoint.port });
      socket = plain;
      await startTls(plain, endpoint.startTls);
    }
    const secure = tlsConnect({
      ...(plain ? { socket: plain } : { host: endpoint.host, port: endpoint.port }),
      servername: endpoint.servername ?? (isIp(endpoint.host) ? undefined : endpoint.host),
      // Read only, never trusted: the certificate is described, then the connection is dropped.
      rejectUnauthorized: false,
    });
    socket = secure;
    await new Promise<void>((resolve, reject) => {
      secure.once('secureConnect', resolve);
      secure.once('error', reject);
    });
    const cert = secure.getPeerCertificate(true);
    if (!cert || Object.keys(cert).length === 0) return undefined;
    const facts = certificateFacts(cert);
    // An intermediate the server presents signed by an SM2 root makes an SM2 chain too.
    return facts.sm2Signed || !presentedSm2(cert) ? facts : { ...facts, sm2Signed: true as const };
  })().catch(() => undefined);
  try {
    return await Promise.race([attempt, timer]);
  } finally {
    socket?.destroy();
  }
}

/**
 * The LicbridgeError for `error` when it is a TLS failure, naming the server certificate when the
 * probe can read it; undefined for any other error.
 */
export async function explainTlsFailure(
  error: unknown,
  where: TlsFailureWhere,
  endpoint: TlsEndpoint | undefined,
): Promise<ReturnType<typeof tlsFailureError> | undefined> {
  const kind = tlsFailureKind(error);
  if (!kind) return undefined;
  // The client-side kinds are about our own certificate; the server's tells nothing more there.
  const serverSide =
    kind === 'untrusted' || kind === 'host-mismatch' || kind === 'expired' || kind === 'not-yet-valid';
  const peer = serverSide && endpoint ? await probeServerCertificate(endpoint) : undefined;
  return tlsFailureError(kind, where, peer, error);
}

/** Whether a certificate of the chain a server presented is signed SM2-with-SM3. */
function presentedSm2(leaf: DetailedPeerCertificate): boolean {
  const seen = new Set<DetailedPeerCertificate>();
  for (let c: DetailedPeerCertificate | undefined = leaf; c && !seen.has(c); c = c.issuerCertificate) {
    seen.add(c);
    if (c.raw !== undefined && signedWithSm2(c.raw)) return true;
  }
  return false;
}

function isIp(host: string): boolean {
  return /^[0-9.]+$/.test(host) || host.includes(':');
}

/** Connects `socket` and asks the server to start TLS in its protocol's way. */
async function startTls(socket: Socket, protocol: Exclude<StartTls, 'direct'>): Promise<void> {
  socket.on('error', () => undefined);
  await new Promise<void>((resolve, reject) => {
    socket.once('connect', resolve);
    socket.once('error', reject);
  });
  if (protocol === 'postgres') {
    // SSLRequest: length 8, code 80877103; the server answers one byte, `S` to go on.
    const req = Buffer.alloc(8);
    req.writeInt32BE(8, 0);
    req.writeInt32BE(80877103, 4);
    socket.write(req);
    const answer = await readBytes(socket, 1);
    if (answer.toString() !== 'S') throw new Error('the server does not offer TLS');
  } else {
    // MySQL: the server greets first; the client answers with a 32-byte SSL request packet
    // (CLIENT_LONG_PASSWORD | CLIENT_PROTOCOL_41 | CLIENT_SSL | CLIENT_SECURE_CONNECTION).
    const header = await readBytes(socket, 4);
    await readBytes(socket, header.readUIntLE(0, 3));
    const packet = Buffer.alloc(36);
    packet.writeUIntLE(32, 0, 3);
    packet.writeUInt8(1, 3);
    packet.writeUInt32LE(0x1 | 0x200 | 0x800 | 0x8000, 4);
    packet.writeUInt32LE(16_777_216, 8);
    packet.writeUInt8(33, 12);
    socket.write(packet);
  }
}

function readBytes(socket: Socket, n: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    let got = Buffer.alloc(0);
    const onData = (chunk: Buffer) => {
      got = Buffer.concat([got, chunk]);
      if (got.length >= n) {
        socket.off('data', onData);
        socket.pause();
        if (got.length > n) socket.unshift(got.subarray(n));
        resolve(got.subarray(0, n));
      }
    };
    socket.on('data', onData);
    // A socket paused by an earlier read stays paused when a listener is added.
    socket.resume();
    socket.once('error', reject);
    socket.once('close', () => reject(new Error('closed')));
  });
}

/** How long {@link probeClientRejection} waits for the server's word by default, ms. */
export const CLIENT_REJECTION_PROBE_MS = 2000;

/**
 * Under TLS 1.3 a server judges the client certificate after the client has finished its side
 * of the handshake, so a refused certificate reaches a request as a bare connection reset. This
 * handshakes once more with the same settings and waits for the server's alert, which names why
 * (`certificate required`, `unknown ca`, …), or for a TLS 1.3 handshake closed at once, as Node
 * servers refuse a certificate; undefined when the server keeps the connection or ends it another
 * way. A reset after the handshake is no refusal: a server refusing us closes (we sent it nothing
 * after the handshake to leave unread), while a TLS terminator whose backend is down or a firewall
 * resets every connection, whatever its certificate. Nor is a close after a TLS 1.2 handshake:
 * there the server judges the certificate before it finishes its side, so a refusal ends the
 * handshake itself (an alert, or a close before it is done).
 */
export async function probeClientRejection(
  endpoint: TlsEndpoint,
  options: ConnectionOptions,
  timeoutMs = CLIENT_REJECTION_PROBE_MS,
): Promise<TlsFailureKind | undefined> {
  if (endpoint.startTls !== 'direct') return undefined;
  const socket = tlsConnect({
    ...options,
    host: endpoint.host,
    port: endpoint.port,
    ...(endpoint.servername ? { servername: endpoint.servername } : {}),
  });
  try {
    return await new Promise<TlsFailureKind | undefined>((resolve) => {
      const timer = setTimeout(() => resolve(undefined), timeoutMs);
      timer.unref();
      // Read when the handshake is done: a closed socket names no protocol.
      let tls13 = false;
      socket.once('secureConnect', () => {
        tls13 = socket.getProtocol() === 'TLSv1.3';
      });
      // The server's alert names why; any other error (a reset) says nothing of our certificate,
      // and the close that follows it is not read as the server dropping us.
      socket.on('error', (e) => {
        clearTimeout(timer);
        resolve(tlsFailureKind(e));
      });
      // A server that drops a verified TLS 1.3 handshake at once, before any request, refused the
      // certificate without saying so (Node servers do).
      socket.on('close', () => {
        clearTimeout(timer);
        resolve(tls13 ? (options.cert ? 'client-cert-rejected' : 'client-cert-required') : undefined);
      });
      // Reading is what surfaces the server's alert.
      socket.resume();
    });
  } finally {
    socket.destroy();
  }
}
