/**
 * HTTPS to platforms and signing servers with the connection's `tls:` settings: a keep-alive
 * agent that verifies the server (a government CA in `tls.ca`) and presents the client
 * certificate for mutual TLS, and the one way a refused handshake becomes a message.
 */
import { Agent as HttpsAgent } from 'node:https';
import type { ErrorCode, LicbridgeError } from '../core/errors.js';
import { nodeTlsOptions, type TlsSettings, tlsFailureError, tlsFailureKind } from '../core/tls.js';
import { explainTlsFailure, probeClientRejection } from '../core/tls-probe.js';

export function httpsAgentFor(tls: TlsSettings | undefined): HttpsAgent {
  return new HttpsAgent({ keepAlive: true, ...nodeTlsOptions(tls) });
}

/**
 * The LicbridgeError for a TLS failure on a request to `url` (naming `connection` and, for a
 * server-side failure, the server certificate's subject and expiry); undefined for other errors.
 */
export async function httpsTlsError(
  error: unknown,
  connection: string,
  code: ErrorCode,
  url: string,
  tls: TlsSettings | undefined,
  context: Record<string, string> = {},
): Promise<LicbridgeError | undefined> {
  const u = new URL(url);
  const endpoint =
    u.protocol === 'https:'
      ? {
          host: u.hostname.replace(/^\[(.*)\]$/, '$1'),
          port: u.port ? Number(u.port) : 443,
          startTls: 'direct' as const,
          ...(tls?.servername ? { servername: tls.servername } : {}),
        }
      : undefined;
  const where = { connection, code, context };
  if (tlsFailureKind(error)) return explainTlsFailure(error, where, endpoint);
  // A reset right after a TLS 1.3 handshake may be the server refusing our certificate.
  const reset = ['ECONNRESET', 'EPIPE'].includes(String((error as { code?: unknown })?.code));
  if (!reset || !endpoint) return undefined;
  const kind = await probeClientRejection(endpoint, nodeTlsOptions(tls));
  return kind ? tlsFailureError(kind, where, undefined, error) : undefined;
}
