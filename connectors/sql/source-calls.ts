/**
 * How a SQL source makes each database call: a driver error is mapped through the dialect
 * (licbridge errors pass as they are), a refused TLS handshake is explained where the kind's TLS
 * starts inside its protocol, and a read — safe to repeat — that lost its connection is tried
 * again on a fresh one.
 */
import type { SourceConfig } from '../../config/types.js';
import { ErrorCodes, isLicbridgeError, LicbridgeError } from '../../core/errors.js';
import { tlsFailureKind } from '../../core/tls.js';
import { explainTlsFailure } from '../../core/tls-probe.js';
import { sourceKind } from '../kinds.js';
import type { SqlDialect } from './dialect.js';
import { sleep } from './gentle.js';

// A connection that drops mid-read (failover, a DBA killing sessions, an idle-timeout firewall) is
// retried here a couple of times on a fresh connection; a longer outage surfaces as a retryable
// error and the worker retries the job with its own backoff.
const RECONNECT_DELAYS_MS = [200, 1_000];

export class SourceCalls {
  private readonly name: string;
  private readonly dialect: SqlDialect;
  private readonly user: string | undefined;
  private readonly tlsEndpoint: Parameters<typeof explainTlsFailure>[2];
  private readonly closed: () => boolean;

  /** `closed`: whether the source was closed, after which every call is refused. */
  constructor(name: string, dialect: SqlDialect, config: SourceConfig, closed: () => boolean) {
    this.name = name;
    this.dialect = dialect;
    const user = config.connection?.user;
    this.user = typeof user === 'string' ? user : undefined;
    this.tlsEndpoint = sqlTlsEndpoint(dialect.kind, config);
    this.closed = closed;
  }

  /**
   * Runs a database call, mapping driver errors through the dialect; licbridge errors pass. A
   * `reconnect` call (a read, safe to repeat) is tried again on a fresh connection when the
   * connection was lost.
   */
  async run<T>(fn: () => PromiseLike<T> | Promise<T>, reconnect = false): Promise<T> {
    for (let attempt = 0; ; attempt++) {
      if (this.closed()) {
        throw new LicbridgeError(ErrorCodes.USAGE, `source ${this.name}: connector is closed`, {
          context: { source: this.name },
        });
      }
      try {
        return await fn();
      } catch (error) {
        if (isLicbridgeError(error)) throw error;
        if (tlsFailureKind(error)) {
          const where = { connection: `source ${this.name}`, code: ErrorCodes.SOURCE_UNREACHABLE };
          throw (
            (await explainTlsFailure(
              error,
              { ...where, context: { source: this.name } },
              this.tlsEndpoint,
            )) ?? error
          );
        }
        const mapped = this.dialect.classifyError(error, this.name, this.user);
        const delay = RECONNECT_DELAYS_MS[attempt];
        const lost = mapped.code === ErrorCodes.SOURCE_UNREACHABLE && mapped.retryable;
        if (!reconnect || !lost || delay === undefined) throw mapped;
        await sleep(delay);
      }
    }
  }
}

/** Where a refused handshake of this source can be looked at again (kinds whose TLS starts in-protocol). */
function sqlTlsEndpoint(kind: string, config: SourceConfig): Parameters<typeof explainTlsFailure>[2] {
  const c = config.connection as
    | { host?: string; port?: string | number; tls?: { servername?: string } }
    | undefined;
  const spec = sourceKind(kind);
  if (!c?.host || !spec?.startTls || spec.defaultPort === undefined) return undefined;
  const port = c.port === undefined || c.port === '' ? spec.defaultPort : Number(c.port);
  return {
    host: c.host,
    port,
    startTls: spec.startTls,
    ...(c.tls?.servername ? { servername: c.tls.servername } : {}),
  };
}
