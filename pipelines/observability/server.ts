import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Config } from '../../config/types.js';
import { openSource } from '../../connectors/open-source.js';
import type { SourceConnector } from '../../connectors/source.js';
import { ErrorCodes, LicbridgeError } from '../../core/errors.js';
import type { Logger } from '../../core/logger.js';
import { within } from '../../core/within.js';
import { lifecycleSettings } from '../lifecycle/settings.js';
import { createQueues } from '../queues.js';
import { closeQueuesWithin } from '../queues-close.js';
import { assertRedisReachable, queueConnection } from '../redis.js';
import { authConfigured, authorizedBy, challenges, hostAllowed, isLoopbackAddress } from './auth.js';
import { createDashboard, DASHBOARD_PATH } from './dashboard.js';
import { cachedReadiness, healthRedis, openReport } from './health.js';
import { watchJobEvents } from './job-events.js';
import { startLagProbe } from './lag-probe.js';
import { createMetrics } from './metrics.js';
import { queuesOf } from './queue-stats.js';
import { LEDGER_RECHECK_MS, openServeLedger } from './serve-ledger.js';
import { withTimeout } from './timeout.js';

export interface OpsServer {
  /** `http://host:port` actually bound (port 0 resolved). */
  readonly url: string;
  /** Whether the dashboard is served (it needs `serve.auth`). */
  readonly dashboard: boolean;
  /**
   * Settles once Redis has been looked at on start (its eviction policy; unreachable is left to
   * /readyz). Never rejects.
   */
  readonly redisChecked: Promise<void>;
  close(): Promise<void>;
}

export interface OpsServerOptions {
  /** Overrides `serve.host` / `serve.port` (the `--host` / `--port` flags). */
  host?: string;
  port?: number;
  /**
   * How long a client may take over its headers and its whole request, and how often that is
   * checked, ms; no command sets them (tests shorten them). @defaultValue {@link SLOW_CLIENT_LIMITS}
   */
  slowClientLimits?: SlowClientLimits;
  /**
   * How often a ledger lacking this release's migrations is looked at again, ms; no command sets it
   * (tests shorten it). @defaultValue {@link LEDGER_RECHECK_MS}
   */
  ledgerRecheckMs?: number;
}

/** Node's `http.createServer` options against slow clients (below). */
export interface SlowClientLimits {
  readonly headersTimeout: number;
  readonly requestTimeout: number;
  readonly connectionsCheckingInterval: number;
}

/**
 * `licbridge serve`: /metrics (Prometheus text), /healthz (the process is up), /readyz (Redis,
 * ledger, sources, targets answer; 503 otherwise) and, behind authentication, /dashboard. It
 * binds loopback unless `serve.host` says otherwise. It reads the ledger (never migrating it) and
 * Redis and never works jobs, so it can run beside workers on any host.
 */
export async function startOpsServer(
  config: Readonly<Config>,
  logger: Logger,
  options: OpsServerOptions = {},
): Promise<OpsServer> {
  const log = logger.child({ component: 'serve' });
  // A config built in code may leave it out; the schema's default is {}.
  const readerToken = config.serve.metricsAuth?.token;
  if (config.serve.protectMetrics && !authConfigured(config.serve.auth) && !readerToken) {
    // Every client would get 401 for good: Prometheus and a liveness probe fail with no hint why.
    throw new LicbridgeError(
      ErrorCodes.CONFIG_INVALID,
      'serve: `serve.protectMetrics` is true but neither `serve.auth` nor `serve.metricsAuth` sets credentials, so no one could read /metrics, /healthz or /readyz: set `serve.metricsAuth.token` (for Prometheus and probes) or `serve.auth` (username + password, or token), or remove `protectMetrics`',
    );
  }
  if (config.serve.auth.username?.includes(':')) {
    // RFC 7617 §2: basic credentials are `user:password`, split at the first colon, so such a
    // user name never matched and every login got 401 with no hint why.
    throw new LicbridgeError(
      ErrorCodes.CONFIG_INVALID,
      'serve: `serve.auth.username` holds a `:`, which HTTP basic authentication cannot carry in a user name (RFC 7617), so no login could succeed: choose a user name without one',
    );
  }
  if (readerToken !== undefined && readerToken === config.serve.auth.token) {
    throw new LicbridgeError(
      ErrorCodes.CONFIG_INVALID,
      'serve: `serve.metricsAuth.token` is the same as `serve.auth.token`, so whoever scrapes /metrics with it could also pause, retry and remove jobs on the dashboard: give `metricsAuth` a token of its own',
    );
  }
  // Never migrated from here: serve only reads the ledger (./serve-ledger.ts).
  const ledger = await openServeLedger(config, logger, options.ledgerRecheckMs ?? LEDGER_RECHECK_MS);
  const connection = queueConnection(config.queue.redis);
  const queues = createQueues(connection, config.queue.prefix, Object.keys(config.targets));
  for (const q of queuesOf(queues)) q.on('error', () => undefined);
  const redis = healthRedis(config.queue.redis, config.serve.checkTimeoutMs);
  const sources = new Map<string, Promise<SourceConnector>>();
  const source = (name: string): Promise<SourceConnector> => {
    let s = sources.get(name);
    if (!s) {
      const cfg = config.sources[name];
      if (!cfg) return Promise.reject(new Error(`source \`${name}\` is not configured`));
      s = openSource(name, cfg, { timeZone: lifecycleSettings(config).timeZone });
      // A source that failed to open is tried afresh next time instead of failing forever.
      s.catch(() => sources.delete(name));
      sources.set(name, s);
    }
    return s;
  };
  const lag = config.metrics.lagIntervalMs > 0 ? startLagProbe(config, ledger, source, log) : undefined;
  const metrics = createMetrics({ config, ledger, queues, logger: log, ...(lag ? { lag } : {}) });
  const events = watchJobEvents(queuesOf(queues), connection, config.queue.prefix, metrics, log);
  const withDashboard = config.serve.dashboard && authConfigured(config.serve.auth);
  if (config.serve.dashboard && !withDashboard) {
    log.warn('serve: dashboard not served: set serve.auth (username + password, or token) to enable it');
  }
  const dashboard = withDashboard
    ? createDashboard(queuesOf(queues), config.serve.checkTimeoutMs, log)
    : undefined;
  const auth = config.serve.auth;
  const readiness = cachedReadiness({ config, redis, ledger, source }, config.serve.readyCacheMs);
  /** Set once listening: whether the bound address is loopback, where `Host` is checked. */
  let onLoopback = false;
  let misdirectedLogged = false;

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const path = requestPath(req.url);
    const isDashboard =
      path !== undefined && (path === DASHBOARD_PATH || path.startsWith(`${DASHBOARD_PATH}/`));
    securityHeaders(res, isDashboard);
    // A target that does not parse is the client's fault: 400, and no error in our log.
    if (path === undefined) return send(res, 400, 'bad request\n');
    if (onLoopback) {
      // RFC 9112 §3.2.2: an absolute-form target names the host instead of the Host header.
      const host = /^https?:\/\//i.test(req.url ?? '') ? new URL(req.url ?? '').host : req.headers.host;
      if (!hostAllowed(host, config.serve.allowedHosts)) {
        if (!misdirectedLogged) {
          misdirectedLogged = true;
          log.warn(
            { host: String(host).slice(0, 100) },
            'serve: refused a request for another host name (421): on loopback serve answers for localhost, IP addresses and serve.allowedHosts; add the name a reverse proxy passes on there (logged once)',
          );
        }
        return send(res, 421, 'misdirected request: this server does not answer for that host name\n');
      }
    }
    const credentials = authConfigured(auth) ? authorizedBy(req, auth) : undefined;
    // `serve.metricsAuth` opens /metrics, /healthz and /readyz, never the dashboard.
    const reader =
      credentials ?? (!isDashboard && readerToken ? authorizedBy(req, { token: readerToken }) : undefined);
    if (isDashboard || config.serve.protectMetrics) {
      if (isDashboard ? !credentials : !reader) {
        if (isDashboard && !dashboard) return send(res, 404, 'not found\n');
        const offered = challenges(isDashboard || !readerToken ? auth : { ...auth, token: readerToken });
        if (offered.length > 0) res.setHeader('WWW-Authenticate', offered);
        return send(res, 401, 'authentication required\n');
      }
    }
    if (isDashboard && dashboard && credentials) return dashboard(req, res, credentials);
    if (!OPEN_PATHS.has(path)) return send(res, 404, 'not found\n');
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      // RFC 9110 §15.5.6: a 405 names the methods the resource takes.
      res.setHeader('Allow', 'GET, HEAD');
      return send(res, 405, 'method not allowed\n');
    }
    if (path === '/metrics') {
      const body = await metrics.registry.metrics();
      res.setHeader('Content-Type', metrics.registry.contentType);
      return send(res, 200, body);
    }
    if (path === '/healthz') return sendJson(res, 200, { ok: true });
    if (path === '/readyz') {
      const report = await readiness();
      // Why a check failed (a driver's words, a host) is for those with credentials only.
      return sendJson(res, report.ok ? 200 : 503, reader ? report : openReport(report));
    }
    // `/`: the paths served.
    return send(res, 200, `licbridge: /metrics /healthz /readyz${dashboard ? ` ${DASHBOARD_PATH}` : ''}\n`);
  };

  const server = createServer(options.slowClientLimits ?? SLOW_CLIENT_LIMITS, (req, res) => {
    handle(req, res).catch((e: unknown) => {
      // The path only: a query string may hold what a client should not have put in a URL (a
      // token, an ID number), and log lines are kept and shipped far beyond this host.
      log.error(
        { err: { message: e instanceof Error ? e.message : String(e) }, path: requestPath(req.url) },
        'serve: request failed',
      );
      if (!res.headersSent) send(res, 500, 'internal error\n');
      else res.end();
    });
  });
  // Node takes any number of connections by default: one client opening thousands (each held until
  // the slow-client limits close it) used up the file descriptors the ledger, Redis and the sources
  // need too. Beyond the cap Node closes a connection as it is accepted; 'drop' says so.
  server.maxConnections = config.serve.maxConnections;
  let dropLogged = false;
  server.on('drop', () => {
    if (dropLogged) return;
    dropLogged = true;
    log.warn(
      `serve: closed a connection unanswered: serve.maxConnections (${server.maxConnections}) are open; raise it if these are clients you expect (logged once)`,
    );
  });
  /** Everything opened above, released: after `close()`, or when the server cannot listen. */
  const release = async (): Promise<void> => {
    lag?.close();
    // A graceful close waits for Redis; when Redis is down, drop the connections instead of hanging.
    await withTimeout(events.close(), 2000, 'serve: close queue events').catch(() =>
      within(events.drop(), 2000),
    );
    await closeQueuesWithin(queues, 2000);
    redis.disconnect();
    for (const s of sources.values()) await s.then((c) => c.close()).catch(() => undefined);
    await ledger.close();
  };
  const host = options.host ?? config.serve.host;
  const port = options.port ?? config.serve.port;
  try {
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, host, () => {
        server.off('error', reject);
        resolve();
      });
    });
  } catch (e) {
    // A port in use or a host not on this machine: said so, and nothing left open to keep the
    // process alive (it hung, serving nothing, with its connections and timers still running).
    await release();
    const code = (e as { code?: unknown }).code;
    throw new LicbridgeError(
      ErrorCodes.USAGE,
      `serve: cannot listen on ${host}:${port}: ${typeof code === 'string' ? code : 'error'}${code === 'EADDRINUSE' ? ' (the port is in use: set serve.port or --port)' : ''}`,
      { cause: e },
    );
  }
  const address = server.address() as AddressInfo;
  onLoopback = isLoopbackAddress(address.address);
  const shownHost = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  const url = `http://${shownHost}:${address.port}`;
  log.info({ url, dashboard: Boolean(dashboard) }, 'serve: listening');
  if (!onLoopback) log.warn({ url }, beyondLoopback(url, config.serve.protectMetrics));
  // A Redis that may evict keys (`maxmemory-policy` other than `noeviction`) drops jobs without a
  // trace; serve is the process an operator watches, so it says so on start as `worker` and `run`
  // do. Beside the listening server: a Redis that is down is /readyz's to report, not a reason
  // not to serve.
  const redisChecked = assertRedisReachable(config.queue.redis, config.serve.checkTimeoutMs, log).catch(
    () => undefined,
  );

  return {
    url,
    dashboard: Boolean(dashboard),
    redisChecked,
    async close() {
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
      // The look at Redis may still be under way (a stop sent as soon as `listening` is read): its
      // connection ends within `serve.checkTimeoutMs`, alongside the rest, not after `stopped`.
      await Promise.all([release(), redisChecked]);
    },
  };
}

/**
 * Bound beyond loopback, serve answers whoever reaches the port, in plain HTTP: a login typed into
 * the dashboard crosses the network readable, and without `protectMetrics` /metrics (pipeline
 * names, counts, queue depths) and /readyz answer anyone. A firewall or a TLS proxy may well stand
 * in front, so it starts; the log says what is exposed, once.
 */
function beyondLoopback(url: string, protectMetrics: boolean): string {
  const open = protectMetrics
    ? ''
    : '; /metrics, /healthz and /readyz answer anyone who reaches it (set serve.protectMetrics and give Prometheus serve.metricsAuth.token)';
  return `serve: listening on ${url}, beyond this host, in plain HTTP: logins and answers cross the network unencrypted${open}; put a TLS reverse proxy or a firewall in front, or bind 127.0.0.1 (serve.host)`;
}

/**
 * Slow clients (slowloris): Node's defaults let a connection take a minute over its headers and
 * five over its body (a body trickled after its 401 too), checked every 30 s, so a few thousand
 * connections dripping a byte now and then held the server's sockets and kept Prometheus and the
 * probes out. Every request here is a few headers and, on the dashboard, a small JSON body: whole
 * within seconds from any client that means to send it.
 */
export const SLOW_CLIENT_LIMITS: SlowClientLimits = {
  headersTimeout: 10_000,
  requestTimeout: 20_000,
  connectionsCheckingInterval: 1000,
};

/** The paths besides the dashboard, each answering GET and HEAD only. */
const OPEN_PATHS: ReadonlySet<string> = new Set(['/metrics', '/healthz', '/readyz', '/']);

/**
 * The dashboard page loads its own scripts, styles and JSON from this server and nothing else:
 * no inline script (a value from a job that slipped into the page as markup cannot run), no
 * fonts from the Internet (its page links Google Fonts; hosts here are often offline, and the
 * request would tell a third party that someone opened the board), and no framing by another
 * site (clickjacking the retry and remove buttons). Its React code sets `style` attributes, hence
 * inline styles only.
 */
const DASHBOARD_CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data:",
  "font-src 'self' data:",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'self'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

/** Everything else is text or JSON: nothing to load, nothing to run, nothing to frame. */
const PLAIN_CSP = "default-src 'none'; frame-ancestors 'none'";

/**
 * Set on every answer, before any handler writes: a browser must not sniff text into HTML
 * (`nosniff`), frame a page (`frame-ancestors`, and `X-Frame-Options` for older browsers) or send
 * the dashboard's URLs to another site. Dashboard answers hold job data: never kept by a cache.
 */
function securityHeaders(res: ServerResponse, dashboard: boolean): void {
  res.setHeader('Content-Security-Policy', dashboard ? DASHBOARD_CSP : PLAIN_CSP);
  res.setHeader('X-Content-Type-Options', 'nosniff');
  res.setHeader('X-Frame-Options', 'DENY');
  res.setHeader('Referrer-Policy', 'no-referrer');
  if (dashboard) res.setHeader('Cache-Control', 'no-store');
}

/** RFC 3986 path and query characters, with `%` only as a two-digit escape. */
const ORIGIN_FORM =
  /^\/(?:[A-Za-z0-9\-._~!$&'()*+,;=:@/]|%[0-9A-Fa-f]{2})*(?:\?(?:[A-Za-z0-9\-._~!$&'()*+,;=:@/?]|%[0-9A-Fa-f]{2})*)?$/;

/**
 * The path of a request target: origin-form (`/path?query`, read as a path, so `//x` stays a path
 * instead of becoming a host) or absolute-form (`http://host/path`, RFC 9112 §3.2.2). Undefined
 * for anything else: `*`, characters a URI cannot hold (`//[`), a target no URL parser accepts.
 */
function requestPath(target: string | undefined): string | undefined {
  try {
    if (target !== undefined && ORIGIN_FORM.test(target))
      return new URL(`http://localhost${target}`).pathname;
    if (target && /^https?:\/\//i.test(target)) {
      const url = new URL(target);
      return ORIGIN_FORM.test(`${url.pathname}${url.search}`) ? url.pathname : undefined;
    }
  } catch {
    // Falls through: not a target we can serve.
  }
  return undefined;
}

function send(res: ServerResponse, status: number, body: string): void {
  res.statusCode = status;
  if (!res.hasHeader('Content-Type')) res.setHeader('Content-Type', 'text/plain; charset=utf-8');
  res.end(body);
}

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  res.setHeader('Content-Type', 'application/json');
  res.setHeader('Cache-Control', 'no-store');
  send(res, status, `${JSON.stringify(body)}\n`);
}
