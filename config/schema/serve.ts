// biome-ignore-all lint/suspicious/noTemplateCurlyInString: `${env:…}` and `${file:…}` are config reference syntax, not template slips.
import { closed, int, METRIC_PREFIX_PATTERN, type Schema, secret, str } from './builders.js';

/** A DNS name (letters, digits, `-`, dots), as a `Host` header carries it without its port. */
export const HOST_NAME_PATTERN = '^[A-Za-z0-9](?:[A-Za-z0-9.-]*[A-Za-z0-9])?\\.?$';

/** `licbridge serve`: the operations endpoint (metrics, health, dashboard). */
export const serve: Schema = {
  ...closed(
    'The operations HTTP endpoint started by `licbridge serve`: /metrics, /healthz, /readyz and the queue dashboard.',
    {
      host: str(
        'Address to bind. Loopback by default: the dashboard shows queue contents, so expose it only on purpose (for example `0.0.0.0` behind a firewall or a reverse proxy).',
        { default: '127.0.0.1' },
      ),
      port: int('TCP port to listen on; 0 picks a free port (printed on start).', 0, 65_535, {
        default: 9464,
      }),
      allowedHosts: {
        type: 'array',
        default: [],
        uniqueItems: true,
        description:
          'Host names, besides `localhost` and IP addresses, that a request may name in its `Host` header while `serve` listens on a loopback address: the public name a reverse proxy on this host passes on, for example `ops.district.example`. Any other name is answered 421, so a web page whose name was re-pointed at 127.0.0.1 (DNS rebinding) cannot read /metrics, /readyz or the dashboard through a browser on this host. Not checked when `host` is not a loopback address.',
        items: str('A host name, without a port.', { pattern: HOST_NAME_PATTERN }),
      },
      auth: {
        ...closed(
          'Who may open the dashboard and its API. HTTP basic (username + password) or a bearer token, or both; without either the dashboard is not served at all. /metrics, /healthz and /readyz carry no license data and stay open unless `protectMetrics` is set.',
          {
            username: str('User name for HTTP basic authentication.'),
            // NIST SP 800-63B §5.1.1.1: 8 characters at least for a memorized secret. Basic
            // authentication has no limit on attempts.
            password: secret(
              str(
                'Password for HTTP basic authentication; write it as `${env:NAME}`, never inline. At least 8 characters.',
                { minLength: 8 },
              ),
            ),
            token: secret(
              str(
                'Bearer token (`Authorization: Bearer <token>`); write it as `${env:NAME}`. At least 16 characters.',
                { minLength: 16 },
              ),
            ),
          },
        ),
        default: {},
      },
      metricsAuth: {
        ...closed(
          "Credentials that open /metrics, /healthz and /readyz only, never the dashboard: give these to Prometheus or a probe when `protectMetrics` is set, so a scraper's config holds nothing that can pause, retry or remove jobs. `auth` still opens those paths too.",
          {
            token: secret(
              str(
                'Bearer token (`Authorization: Bearer <token>`) for /metrics, /healthz and /readyz; write it as `${env:NAME}`. At least 16 characters, and not `auth.token`.',
                { minLength: 16 },
              ),
            ),
          },
        ),
        default: {},
      },
      dashboard: {
        type: 'boolean',
        default: true,
        description: 'Serve the BullMQ dashboard at `/dashboard` (only when `auth` is configured).',
      },
      protectMetrics: {
        type: 'boolean',
        default: false,
        description:
          "Ask for credentials on /metrics, /healthz and /readyz too: those of `auth`, or `metricsAuth`'s token, which opens only them.",
      },
      checkTimeoutMs: int(
        'Time each readiness check (Redis, ledger, a source, a target) may take, ms; also how long a dashboard request waits for Redis before it answers 503.',
        100,
        60_000,
        {
          default: 3000,
        },
      ),
      checkSources: {
        type: 'boolean',
        default: true,
        description:
          'Let /readyz open a connection to every source. Turn off when a department allows connections only in its read window.',
      },
      readyCacheMs: int(
        '/readyz runs its checks (a PING, a ledger read, a connection to each source, a HEAD to each platform) at most this often; requests in between get the last answer, ms. Bounds the load any client can cause.',
        250,
        600_000,
        { default: 5000 },
      ),
      maxConnections: int(
        'Connections `serve` holds open at once; one beyond them is closed unanswered (logged once). Bounds the sockets and file descriptors any client can take from the process, which the ledger, Redis and the sources need too. Prometheus, probes and a few dashboard users keep a handful open.',
        1,
        100_000,
        { default: 256 },
      ),
    },
  ),
  default: {},
};

/** What `/metrics` exports and how often it reads the ledger and the sources. */
export const metrics: Schema = {
  ...closed('Prometheus metrics served at /metrics by `licbridge serve`.', {
    prefix: str('Prefix of every metric name.', { pattern: METRIC_PREFIX_PATTERN, default: 'licbridge_' }),
    processMetrics: {
      type: 'boolean',
      default: true,
      description:
        'Also export the Node.js process metrics (CPU, memory, event loop lag) of the serving process.',
    },
    cacheMs: int(
      'Ledger and queue counts are computed at most this often; scrapes in between get the last values, ms. 0 computes on every scrape.',
      0,
      600_000,
      { default: 5000 },
    ),
    lagIntervalMs: int(
      'How often the lag behind each source (rows after the checkpoint) is measured, ms. 0 turns the measurement off.',
      0,
      86_400_000,
      { default: 60_000 },
    ),
    lagLimit: int(
      'Stop counting rows behind at this many: the lag gauge then reads this value and means "at least".',
      1,
      10_000_000,
      { default: 10_000 },
    ),
  }),
  default: {},
};
