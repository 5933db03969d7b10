/**
 * The server a platform simulator listens with: plain HTTP, or HTTPS for a target whose `url` is
 * https, asking for a client certificate when a client CA is given (mutual TLS).
 */
import { createServer, type RequestListener, type Server } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';

/** A simulator's TLS: its certificate and key (PEM), and the CA its clients' certificates must chain to. */
export interface SimulatorTls {
  cert: string;
  key: string;
  clientCa?: string;
}

export function simulatorServer(tls: SimulatorTls | undefined, onRequest: RequestListener): Server {
  if (!tls) return createServer(onRequest);
  return createHttpsServer(
    {
      cert: tls.cert,
      key: tls.key,
      ...(tls.clientCa ? { ca: tls.clientCa, requestCert: true, rejectUnauthorized: true } : {}),
    },
    onRequest,
  );
}
