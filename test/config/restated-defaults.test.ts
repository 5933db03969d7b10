import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Schema } from '../../config/schema/builders.js';
import { configSchema } from '../../config/schema.js';
import { DEFAULT_RETRY_BUDGET_MS } from '../../ledger/db.js';
import { DEFAULT_BUSY_TIMEOUT_MS, DEFAULT_QUERY_TIMEOUT_MS } from '../../ledger/open-ledger.js';

/**
 * The loader applies every default the schema declares, and code reads the resolved config
 * (config/schema-defaults.ts). This fails when code restates one: `x.attempts ?? 8`,
 * `cfg.namespace ?? DEFAULT_NAMESPACE` — a fallback literal or constant on a field whose name the
 * schema gives a default. A fallback that is no config read (a function option, a BullMQ field)
 * goes in the allow-list below with its reason.
 */

const ROOT = join(import.meta.dirname, '..', '..');
const FOLDERS = [
  'pipelines',
  'adapters',
  'connectors',
  'ledger',
  'cli',
  'core',
  'config',
  'catalog',
  'mappings',
];

/** Every property name the schema gives a `default`, anywhere in it. */
function defaultedNames(schema: unknown, out = new Set<string>()): Set<string> {
  if (Array.isArray(schema)) {
    for (const s of schema) defaultedNames(s, out);
    return out;
  }
  if (schema === null || typeof schema !== 'object') return out;
  const s = schema as Schema;
  for (const group of ['properties', 'patternProperties'] as const) {
    for (const [name, sub] of Object.entries((s[group] ?? {}) as Record<string, Schema>)) {
      if (group === 'properties' && 'default' in sub) out.add(name);
      defaultedNames(sub, out);
    }
  }
  for (const key of ['oneOf', 'anyOf', 'allOf', 'items', 'then', 'else']) defaultedNames(s[key], out);
  return out;
}

// `name ?? literal`: a number, a quoted string, true/false, or a SCREAMING_CASE constant (or its field).
const FALLBACK =
  /([A-Za-z_$][\w$]*)\s*\)?\s*\?\?\s*(-?\d[\d_]*(?:\.\d+)?|'[^']*'|"[^"]*"|`[^`$]*`|true|false|[A-Z][A-Z0-9_]{2,}(?:\.[\w$]+)?)(?![\w$(.])/g;

interface Fallback {
  file: string;
  line: number;
  name: string;
  value: string;
}

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const path = join(dir, e.name);
    if (e.isDirectory()) return sources(path);
    return e.name.endsWith('.ts') && !e.name.endsWith('.d.ts') ? [path] : [];
  });
}

function fallbacks(): Fallback[] {
  const names = defaultedNames(configSchema);
  const found: Fallback[] = [];
  for (const path of FOLDERS.flatMap((f) => sources(join(ROOT, f)))) {
    const file = relative(ROOT, path);
    readFileSync(path, 'utf8')
      .split('\n')
      .forEach((text, i) => {
        for (const m of text.matchAll(FALLBACK)) {
          const [, name = '', value = ''] = m;
          if (names.has(name)) found.push({ file, line: i + 1, name, value });
        }
      });
  }
  return found;
}

/** `file name value`: fallbacks that are not a restated config default, each with why. */
const ALLOWED: Record<string, string> = {
  'adapters/documents/ofd/ofd-package.ts timeZone DEFAULT_TIME_ZONE':
    "the OFD writer's own zone for callers holding no config (tests, the bench); `sign files` passes `lifecycle.timeZone`",
  // Function options and third-party fields that share a name with a config field.
  "pipelines/redis.ts host '127.0.0.1'":
    "a Redis Cluster master's address as ioredis holds it (node.options), named in the eviction warning; not `queue.redis`",
  'pipelines/redis.ts port 6379':
    "a Redis Cluster master's port as ioredis holds it (node.options), named in the eviction warning; not `queue.redis`",
  'pipelines/workers/base.ts attempts 1':
    "BullMQ's own default for a job added without `attempts` (job.opts), not the target's knob",
  'pipelines/workers.ts attempts 1':
    "BullMQ's own default for a job added without `attempts` (job.opts), not the target's knob",
  'pipelines/workers/check-workers.ts attempts 1':
    "BullMQ's own default for a job added without `attempts` (job.opts), not the target's knob",
  'pipelines/workers/stalled-checks.ts attempts 1':
    "BullMQ's own default for a job added without `attempts` (job.opts), not the target's knob",
  "pipelines/schedule-list.ts pattern '-'":
    "a BullMQ scheduler's own pattern as Redis holds it (none for one repeating every N ms), shown in `schedule --list`; not a pipeline's `schedule`",
  'pipelines/observability/status-report.ts timeoutMs PROBE_TIMEOUT_MS':
    "`status --timeout`, how long one probe may take; not a target's request timeout",
  'adapters/signers/remote/http.ts maxBackoffMs MAX_BACKOFF_MS':
    "the signing-server client's retry cap (a signer has no such field); not the targets' `maxBackoffMs`",
  'ledger/db.ts retryBudgetMs DEFAULT_RETRY_BUDGET_MS':
    'a ledger opened without a config (tools, tests); ledger/ may not import config, so the value is held equal to the schema below',
  'ledger/open-ledger.ts busyTimeoutMs DEFAULT_BUSY_TIMEOUT_MS':
    'a ledger opened without a config (tools, tests); ledger/ may not import config, so the value is held equal to the schema below',
  'ledger/open-ledger.ts queryTimeoutMs DEFAULT_QUERY_TIMEOUT_MS':
    'a ledger opened without a config (tools, tests); ledger/ may not import config, so the value is held equal to the schema below',
  'pipelines/audit-anchor.ts distId DEFAULT_DIST_ID':
    "the distinguishing id exports are checked with when a caller names none (GM/T 0009's default, as `audit verify --dist-id`); a function option, not a signer's `distId`",
  'ledger/audit.ts pageSize 5000': "the audit chain check's page, a function option; no config field sets it",
  'pipelines/verify/unlisted-files.ts pageSize UNLISTED_PAGE':
    "the page of ledger paths verify --all's search for unlisted files reads, a function option; no config field sets it",
  'pipelines/audit.ts pageSize EXPORT_PAGE':
    "the audit export's page, a function option; no config field sets it",
  'pipelines/reconcile/write-repairs.ts pageSize REPAIR_PART':
    "the repair's page of plan items, a function option (tests set it small); no config field sets it",
  'pipelines/observability/lag.ts pageSize 1000':
    'lag counting page of a caller that passes none; callers pass the pipeline page size',
  'pipelines/dead-letters.ts timeoutMs IDLE_TIMEOUT_MS':
    'how long a dead-letter replay waits for its jobs, a function option (pipelines/idle-rule.ts)',
  'pipelines/redis.ts db 0':
    'a Redis URL (not a mapping) carries its database in the URL; the mapping default applies to mappings only',
  // Test servers: a free port on loopback unless told otherwise.
  'adapters/simulators/city-soap/city-soap-simulator.ts port 0': 'simulator listens on a free port',
  "adapters/simulators/city-soap/city-soap-simulator.ts host '127.0.0.1'": 'simulator listens on loopback',
  'adapters/simulators/gateway/gateway-simulator.ts port 0': 'simulator listens on a free port',
  "adapters/simulators/gateway/gateway-simulator.ts host '127.0.0.1'": 'simulator listens on loopback',
  'adapters/simulators/province/province-simulator.ts port 0': 'simulator listens on a free port',
  "adapters/simulators/province/province-simulator.ts host '127.0.0.1'": 'simulator listens on loopback',
  'adapters/simulators/signing-server/signing-server-simulator.ts port 0': 'simulator listens on a free port',
  "adapters/simulators/signing-server/signing-server-simulator.ts host '127.0.0.1'":
    'simulator listens on loopback',
  'adapters/simulators/city-soap/city-soap-simulator.ts namespace DEFAULT_NAMESPACE':
    "the simulator's own option; the constant is the one the soap-xml schema declares as its default",
  'ledger/migrate.ts attempts 60':
    'how often a migration waits for the database to come up, a function option',
  "adapters/documents/face/layout.ts prefix ''": "a face template box's text prefix, not `metrics.prefix`",
  "adapters/simulators/province/batch-handler.ts status 'submitted'":
    "a simulated platform record's status, not a seal's",
  "cli/commands/schedule.ts pattern '-'": 'printed for a schedule without a pattern',
  // `connection.host` declares no default; the drivers connect to the local host without one.
  "connectors/sql/dialects/dm/dialect.ts host 'localhost'":
    "the driver's own fallback; the schema declares none",
  "connectors/sql/dialects/mssql/dialect.ts host 'localhost'":
    "the driver's own fallback; the schema declares none",
  "connectors/sql/dialects/oracle/dialect.ts host 'localhost'":
    "the driver's own fallback; the schema declares none",
  'pipelines/audit-export-write.ts pageSize EXPORT_PAGE':
    "the export's own page of audit entries, a function option, not a source's `pageSize`",
  'pipelines/reconcile/repair.ts pageSize REPAIR_PART':
    "a repair's page of plan items, a function option, not a source's `pageSize`",
  // Fingerprint format v1 (test/connectors/fingerprint-vectors.test.ts) reads an absent `trim` as
  // `all`; changing it would change every stored fingerprint.
  "connectors/sql/fingerprint.ts trim 'all'": 'fingerprint format v1, pinned by test vectors',
};

describe('no code restates a default the config schema declares', () => {
  it('finds no fallback on a defaulted config field outside the allow-list', () => {
    const restated = fallbacks()
      .filter((f) => !(`${f.file} ${f.name} ${f.value}` in ALLOWED))
      .map((f) => `${f.file}:${f.line}: ${f.name} ?? ${f.value}`);
    expect(restated).toEqual([]);
  });

  it('declares no table of defaults beside the schema (`const X_DEFAULTS = { … }`)', () => {
    const tables = FOLDERS.flatMap((f) => sources(join(ROOT, f))).flatMap((path) =>
      [...readFileSync(path, 'utf8').matchAll(/\bconst ([A-Z][A-Z0-9_]*_DEFAULTS)\b/g)].map(
        (m) => `${relative(ROOT, path)} ${m[1]}`,
      ),
    );
    expect(tables).toEqual([]);
  });

  it('holds the ledger retry budget equal to the schema default', () => {
    const ledger = (configSchema.properties as Record<string, Schema>).ledger as Schema;
    const budget = (ledger.properties as Record<string, Schema>).retryBudgetMs as Schema;
    expect(DEFAULT_RETRY_BUDGET_MS).toBe(budget.default);
  });

  it('holds the PostgreSQL query timeout equal to the schema default', () => {
    const ledger = (configSchema.properties as Record<string, Schema>).ledger as Schema;
    const query = (ledger.properties as Record<string, Schema>).queryTimeoutMs as Schema;
    expect(DEFAULT_QUERY_TIMEOUT_MS).toBe(query.default);
  });

  it('holds the SQLite busy timeout equal to the schema default', () => {
    const ledger = (configSchema.properties as Record<string, Schema>).ledger as Schema;
    const busy = (ledger.properties as Record<string, Schema>).busyTimeoutMs as Schema;
    expect(DEFAULT_BUSY_TIMEOUT_MS).toBe(busy.default);
  });
});
