import type { Problem } from '../core/errors.js';
import { asRecord, faultWithin, problemAtPath, type YamlTree } from './yaml-tree.js';

/**
 * `serve`'s credentials, as `licbridge serve` would refuse them at start: there the refusal named
 * no file or line and `config check` said ok. Only the setting is named, never a secret's value.
 * Wrong types and shapes are the schema's; a reference that failed is reported already.
 */
export function serveAuthProblems(
  tree: YamlTree,
  file: string,
  schemaErrorPaths: readonly string[],
): Problem[] {
  const serve = asRecord(asRecord(tree.data)?.serve);
  if (serve === undefined || faultWithin(schemaErrorPaths, '/serve')) return [];
  if ([...tree.failedRefs].some((p) => p.startsWith('/serve/'))) return [];
  const auth = asRecord(serve.auth) ?? {};
  const metricsAuth = asRecord(serve.metricsAuth) ?? {};
  const problems: Problem[] = [];
  // As pipelines/observability/auth.ts's authConfigured: a token, or a user name and a password.
  const authSet = Boolean(auth.token) || Boolean(auth.username && auth.password);
  if (serve.protectMetrics === true && !authSet && !metricsAuth.token) {
    // Every client would get 401 for good: Prometheus and a liveness probe fail with no hint why.
    problems.push(
      problemAtPath(
        tree,
        file,
        ['serve', 'protectMetrics'],
        'is true but neither `serve.auth` nor `serve.metricsAuth` sets credentials, so no one could read /metrics, /healthz or /readyz: set `serve.metricsAuth.token` (for Prometheus and probes) or `serve.auth` (username + password, or token), or remove `protectMetrics`',
      ),
    );
  }
  // Either alone offers no basic login: the dashboard was not served, or, beside a token, a
  // browser was never asked for a login.
  for (const [given, missing] of [
    ['username', 'password'],
    ['password', 'username'],
  ] as const) {
    if (auth[given] === undefined || auth[missing] !== undefined) continue;
    problems.push(
      problemAtPath(
        tree,
        file,
        ['serve', 'auth', given],
        `is set without \`serve.auth.${missing}\`: HTTP basic authentication needs both, so no basic login is possible; set \`${missing}\` too, or remove \`${given}\` (a bearer \`token\` alone is enough)`,
      ),
    );
  }
  if (typeof auth.username === 'string' && auth.username.includes(':')) {
    // RFC 7617 §2: basic credentials are `user:password`, split at the first colon.
    problems.push(
      problemAtPath(
        tree,
        file,
        ['serve', 'auth', 'username'],
        'holds a `:`, which HTTP basic authentication cannot carry in a user name (RFC 7617), so no login could succeed: choose a user name without one',
      ),
    );
  }
  if (typeof metricsAuth.token === 'string' && metricsAuth.token === auth.token) {
    // Whoever scrapes /metrics with it could also pause, retry and remove jobs on the dashboard.
    problems.push(
      problemAtPath(
        tree,
        file,
        ['serve', 'metricsAuth', 'token'],
        'is the same as `serve.auth.token` (not shown), so whoever scrapes /metrics with it could also pause, retry and remove jobs on the dashboard: give `metricsAuth` a token of its own',
      ),
    );
  }
  return problems;
}
