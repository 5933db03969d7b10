/**
 * `config check`'s use case: everything that can be checked without a database or a platform —
 * the files a config names exist and are readable, mappings compile, catalog entries validate,
 * every mapped field exists in its pipeline's catalog entry, each local seal key matches its
 * certificate, and each pipeline's signer is of the pipeline's issuing unit. Every problem is
 * located `file:line:col` (in the config, or in the file at fault), so a new pipeline's mistakes
 * surface here rather than at preview or run.
 */
import { constants } from 'node:fs';
import { access, readdir, readFile } from 'node:fs/promises';
import { connect } from 'node:net';
import { dirname } from 'node:path';
import knex from 'knex';
import { targetKinds } from '../adapters/platforms/kinds.js';
import { readCertificate, sameKey } from '../adapters/signers/certificate.js';
import { configuredKeyOrigin } from '../adapters/signers/local-sm2/key-file.js';
import { loadSm2PrivateKey } from '../adapters/signers/local-sm2/keys.js';
import { signerKeyPem } from '../adapters/signers/local-sm2/seal-keys.js';
import type { Catalog, CatalogEntry } from '../catalog/catalog.js';
import { loadCatalog } from '../catalog/catalog.js';
import { isDivisionCode } from '../catalog/formats.js';
import { usccCheckCharProblem } from '../catalog/holder-id.js';
import { licenseSchemaFor } from '../catalog/license-schema.js';
import { parseYamlSource, problemAt, type YamlSource } from '../catalog/yaml-source.js';
import { tlsSettingProblems } from '../config/tls-findings.js';
import type { Config } from '../config/types.js';
import { openSource } from '../connectors/open-source.js';
import type { SourceConnector } from '../connectors/source.js';
import { SQLITE_HAS_NO_LAG_BOUND } from '../connectors/sql/resolve-stream.js';
import { ConfigError, type Problem, printedMessage } from '../core/errors.js';
import { type Logger, rootLogger } from '../core/logger.js';
import { readSqliteLedgerUrl } from '../core/sqlite-ledger-url.js';
import { compileMapping } from '../mappings/compile.js';
import { BESIDE_LICENSE_PATHS, type OutputSegment, parseOutputPath } from '../mappings/output-path.js';
import { conditionFieldProblems } from './condition-fields.js';
import { lifecycleSettings } from './lifecycle/settings.js';
import { withTimeout } from './observability/timeout.js';
import { assertRedisReachable } from './redis.js';
import { sealMakerFindings } from './seal-maker-trust.js';
import { signerUnitProblems } from './signer-unit-problems.js';
import { unreachedMessage } from './unreached-message.js';

type Segment = string | number;

function located(e: unknown, fallback: () => Problem): Problem[] {
  if (e instanceof ConfigError && e.problems.length > 0) return [...e.problems];
  return [{ ...fallback(), message: `${fallback().message}: ${(e as Error).message}` }];
}

/** Null when the file can be read; else the reason (ENOENT, EACCES, …). */
async function unreadable(file: string): Promise<string | null> {
  try {
    await access(file, constants.R_OK);
    return null;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code ?? 'unreadable';
  }
}

async function holdsEntries(folder: string): Promise<boolean> {
  try {
    return (await readdir(folder)).some((f) => /\.ya?ml$/.test(f));
  } catch {
    return false;
  }
}

type Schema = {
  properties?: Record<string, Schema>;
  additionalProperties?: unknown;
  items?: unknown;
  type?: unknown;
};

/** Whether a field's schema names its type and that type is not a list (`type: string`). */
const notList = (field: Schema): boolean =>
  field.type !== undefined && !(Array.isArray(field.type) ? field.type : [field.type]).includes('array');

/**
 * What of `path` the schema has no room for (`` `x` is not among its fields``), or null when it
 * has. A list segment (`items[]`, output-path.ts) names the field `items`, which must be a list,
 * and what follows it lies in its `items`: `premises[]` of a text field fails every row.
 */
function missingSegment(schema: Schema, path: readonly OutputSegment[]): string | null {
  let node: Schema | undefined = schema;
  for (const { name: seg, list } of path) {
    if (!node?.properties) return null;
    // Own names only: `toString` of any object is Object.prototype's, which would pass as a field.
    const next: Schema | undefined = Object.hasOwn(node.properties, seg) ? node.properties[seg] : undefined;
    if (next === undefined)
      return node.additionalProperties === false
        ? `\`${seg}\` is not among its fields; fix the name or add it to the entry's surface`
        : null;
    if (list && notList(next)) return `\`${seg}\` is not a list; write it without \`[]\``;
    node = list
      ? typeof next.items === 'object' && next.items !== null
        ? (next.items as Schema)
        : undefined
      : next;
  }
  return null;
}

async function mappingProblems(
  configSrc: YamlSource,
  name: string,
  file: string,
  entry: CatalogEntry | undefined,
): Promise<Problem[]> {
  const at = (path: Segment[], message: string) => problemAt(configSrc, path, message);
  const reason = await unreadable(file);
  if (reason) return [at(['pipelines', name, 'mapping'], `cannot read mapping file ${file}: ${reason}`)];
  let fields: readonly string[];
  try {
    fields = (await compileMapping(file)).fields;
  } catch (e) {
    return located(e, () => at(['pipelines', name, 'mapping'], `mapping ${file} does not compile`));
  }
  if (!entry) return [];
  const schema = licenseSchemaFor(entry) as Schema;
  const mappingSrc = parseYamlSource(await readFile(file, 'utf8'), file);
  const out: Problem[] = [];
  for (const field of fields) {
    // A predecessor, an operation or a contact is kept beside the license: no entry lists them.
    if (BESIDE_LICENSE_PATHS.has(field)) continue;
    // Parsed as the mapping parses it, which refused a malformed path already.
    const path = parseOutputPath(field);
    const missing = typeof path === 'string' ? null : missingSegment(schema, path.segments);
    if (missing === null) continue;
    out.push(
      problemAt(
        mappingSrc,
        ['fields', field],
        `\`${field}\` is not a field of license type ${entry.code} (${entry.file}): ${missing}`,
        true,
      ),
    );
  }
  return out;
}

function signerProblems(configSrc: YamlSource, config: Config): Problem[] {
  const out: Problem[] = [];
  for (const [name, signer] of Object.entries(config.signers)) {
    if (signer.kind !== 'local-sm2') continue;
    const at = (field: string, message: string) => problemAt(configSrc, ['signers', name, field], message);
    let publicKeyPem: string;
    try {
      // Read as the signer reads it (configuredKeyPem): a `key: ${file:…}` or `keyFile` others can
      // read is refused here too, with the signer's message, which names the key's file.
      publicKeyPem = loadSm2PrivateKey(
        name,
        signerKeyPem(name, signer),
        signer.passphrase,
        configuredKeyOrigin(signer),
      ).publicKeyPem;
    } catch (e) {
      out.push(at(signer.keyFile !== undefined ? 'keyFile' : 'key', (e as Error).message));
      continue;
    }
    if (signer.certificate === undefined) continue;
    try {
      const cert = readCertificate(name, signer.certificate);
      if (!sameKey(cert.publicKeyPem, publicKeyPem)) {
        out.push(
          at(
            'certificate',
            `${signer.certificate} (serial ${cert.serial}) does not certify signer ${name}'s key: install the certificate issued for this key (licbridge seal install) or point keyFile at the key it certifies`,
          ),
        );
      }
    } catch (e) {
      out.push(at('certificate', (e as Error).message));
    }
  }
  return out;
}

/**
 * The schema checks the issuing unit's credit code against the GB 32100 alphabet only; a wrong
 * check character would fail the first run instead (mappings/license-mapper.ts).
 */
function issuerCodeProblem(code: string): string | null {
  const problem = usccCheckCharProblem(code);
  return problem === null ? null : `issuer.code ${problem}`;
}

const NO_SQLITE_LAG = `${SQLITE_HAS_NO_LAG_BOUND}, and a run refuses each stream with a cursor under it; remove it or set lagMs: 0`;

/**
 * `lagMs` written for a SQLite source, which has no lag bound: applied nowhere, it told the reader
 * of the config that rows committing during a read were waited out. A run refuses such a stream
 * (connectors/sql/resolve-stream.ts `checkLag`); here each line that sets it is named.
 */
function sqliteLagProblems(configSrc: YamlSource, config: Config): Problem[] {
  const sqlite = (name: string) => config.sources[name]?.kind === 'sqlite';
  const out: Problem[] = [];
  for (const [name, source] of Object.entries(config.sources))
    if (sqlite(name) && (source as { lagMs?: number }).lagMs)
      out.push(
        problemAt(
          configSrc,
          ['sources', name, 'lagMs'],
          `lagMs is not applied on SQLite: a SQLite source has ${NO_SQLITE_LAG}`,
        ),
      );
  for (const [name, pipeline] of Object.entries(config.pipelines))
    if (sqlite(pipeline.source) && pipeline.stream.lagMs)
      out.push(
        problemAt(
          configSrc,
          ['pipelines', name, 'stream', 'lagMs'],
          `lagMs is not applied on SQLite: source ${pipeline.source} is a SQLite source, which has ${NO_SQLITE_LAG}`,
        ),
      );
  return out;
}

/** Every problem the config's files hold, located; empty when all checks pass. */
export async function checkConfigFiles(config: Config): Promise<Problem[]> {
  const configSrc = parseYamlSource(await readFile(config.file, 'utf8'), config.file);
  const problems: Problem[] = [];
  let catalog: Catalog | undefined;
  try {
    // A config without pipelines (a target's TLS set up first) needs no entries yet.
    if (Object.keys(config.pipelines).length > 0 || (await holdsEntries(config.catalog)))
      catalog = await loadCatalog(config.catalog);
  } catch (e) {
    problems.push(
      ...located(e, () => problemAt(configSrc, ['catalog'], `catalog ${config.catalog} does not load`)),
    );
  }
  for (const [name, pipeline] of Object.entries(config.pipelines)) {
    const entry = catalog?.get(pipeline.licenseType);
    if (catalog && !entry) {
      problems.push(
        problemAt(
          configSrc,
          ['pipelines', name, 'licenseType'],
          `license type ${pipeline.licenseType} is not in the catalog ${config.catalog}: add its entry file there`,
        ),
      );
    }
    const issuerCode = issuerCodeProblem(pipeline.issuer.code);
    if (issuerCode) problems.push(problemAt(configSrc, ['pipelines', name, 'issuer', 'code'], issuerCode));
    // The schema checks six digits; the license mapper refuses `000000` too (GB/T 2260), at run.
    if (pipeline.areaCode !== undefined && !isDivisionCode(pipeline.areaCode)) {
      const message = `${pipeline.areaCode} is not a 6-digit division code (GB/T 2260)`;
      problems.push(problemAt(configSrc, ['pipelines', name, 'areaCode'], message));
    }
    problems.push(...(await mappingProblems(configSrc, name, pipeline.mapping, entry)));
  }
  problems.push(...signerProblems(configSrc, config));
  problems.push(...sqliteLagProblems(configSrc, config));
  // A signer of another unit than its pipeline's issuer signs none of the pipeline's versions.
  problems.push(...signerUnitProblems(configSrc, config));
  // Refused by the connections at run time (core/tls.ts, core/tls-drivers.ts): no mere warnings.
  problems.push(...tlsSettingProblems(config));
  for (const [name, trusted] of Object.entries(config.trust)) {
    const reason = await unreadable(trusted.file);
    if (reason)
      problems.push(problemAt(configSrc, ['trust', name, 'file'], `cannot read ${trusted.file}: ${reason}`));
  }
  // A seal whose maker `verify` does not trust fails every file it seals: fixed before issuing any.
  for (const f of sealMakerFindings(config))
    problems.push(problemAt(configSrc, f.seal === null ? ['seals'] : ['seals', f.seal], f.message, true));
  return problems;
}

/** A TCP connection to the URL's host and port: the platform answers at all (no request is sent). */
function reachTcp(url: string, timeoutMs: number): Promise<void> {
  const u = new URL(url);
  const port = Number(u.port || (u.protocol === 'https:' ? 443 : 80));
  return new Promise((resolve, reject) => {
    const socket = connect({ host: u.hostname.replace(/^\[|\]$/g, ''), port });
    const timer = setTimeout(() => {
      socket.destroy();
      reject(new Error(`no answer within ${timeoutMs} ms`));
    }, timeoutMs);
    socket.once('connect', () => {
      clearTimeout(timer);
      socket.end();
      resolve();
    });
    socket.once('error', (e) => {
      clearTimeout(timer);
      reject(e);
    });
  });
}

async function reachLedger(url: string, timeoutMs: number): Promise<void> {
  const sqlite = readSqliteLedgerUrl(url);
  if (sqlite !== undefined) {
    // Nothing is created: the folder the file goes into must exist and be writable.
    if ('problem' in sqlite) throw new Error(sqlite.problem);
    if ('file' in sqlite) await access(dirname(sqlite.file), constants.W_OK);
    return;
  }
  const k = knex({
    client: 'pg',
    connection: url,
    acquireConnectionTimeout: timeoutMs,
    pool: { min: 0, max: 1 },
    // knex's own logger writes a failed connect with its stack trace to stdout, where results go;
    // the failure is reported once, located at `ledger.url`.
    log: { warn: () => {}, error: () => {}, deprecate: () => {}, debug: () => {} },
  });
  try {
    await k.raw('select 1');
  } finally {
    await k.destroy();
  }
}

/**
 * The streams of the pipelines reading `source`, checked against its catalog once it answered: a
 * table or column that is not there is located at the pipeline's stream. A date/time cursor read
 * without a lag window, whose type only the catalog tells, is warned about through `logger`, as
 * each run warns at its start (pipelines/stages/extract.ts); a warning fails nothing.
 */
async function streamProblems(
  configSrc: YamlSource,
  config: Config,
  source: string,
  conn: SourceConnector,
  timeoutMs: number,
  logger: Logger,
): Promise<Problem[]> {
  const out: Problem[] = [];
  if (!conn.checkStream) return out;
  for (const [name, pipeline] of Object.entries(config.pipelines)) {
    if (pipeline.source !== source) continue;
    try {
      const what = `pipeline ${name}: stream`;
      await withTimeout(conn.checkStream(pipeline.stream), timeoutMs, what);
      const lag = conn.lagWindowWarning
        ? await withTimeout(conn.lagWindowWarning(pipeline.stream), timeoutMs, what)
        : null;
      if (lag) logger.warn({ source, pipeline: name, table: lag.table, cursor: lag.cursor }, lag.message);
    } catch (e) {
      out.push(problemAt(configSrc, ['pipelines', name, 'stream'], printedMessage(e)));
    }
  }
  return out;
}

/**
 * `config check --connect`: every source, Redis, the ledger and every target is reached once
 * (sources and the ledger by their drivers, Redis by PING, a front-db target by its driver with its
 * exchange table checked, other targets by a TCP connection to their URL), and each pipeline's stream is checked against its source's catalog (the table and
 * columns exist). No row is read and nothing is written. Each failure is located at its config
 * entry; what a source tells about reading a stream (a cursor no index leads, a date/time cursor
 * without a lag window) goes to `logger`.
 */
export async function checkConnections(
  config: Config,
  timeoutMs = 5000,
  logger: Logger = rootLogger(),
): Promise<Problem[]> {
  const configSrc = parseYamlSource(await readFile(config.file, 'utf8'), config.file);
  const problems: Problem[] = [];
  const attempt = async (path: Segment[], what: string, work: () => Promise<void>) => {
    try {
      await withTimeout(work(), timeoutMs, what);
    } catch (e) {
      problems.push(problemAt(configSrc, path, unreachedMessage(what, e, printedMessage(e)).text));
    }
  };
  for (const [name, cfg] of Object.entries(config.sources)) {
    await attempt(['sources', name], `source ${name}`, async () => {
      const conn = await openSource(name, cfg, { logger, timeZone: lifecycleSettings(config).timeZone });
      try {
        await conn.checkConnection();
        problems.push(...(await streamProblems(configSrc, config, name, conn, timeoutMs, logger)));
        problems.push(...(await conditionFieldProblems(config, name, conn, timeoutMs)));
      } finally {
        await conn.close();
      }
    });
  }
  await attempt(['queue', 'redis'], 'redis', () => assertRedisReachable(config.queue.redis, timeoutMs));
  const ledgerUrl = config.ledger.url;
  await attempt(['ledger', 'url'], 'ledger', () => reachLedger(ledgerUrl, timeoutMs));
  for (const [name, target] of Object.entries(config.targets)) {
    const check = targetKinds.find(target.kind)?.checkConnection;
    if (check) {
      // The kind reaches its platform itself (a front database: its exchange table checked too);
      // its error names the target and says what failed, unreachable or unfit.
      try {
        const options = { baseDir: dirname(config.file), logger };
        await withTimeout(check(name, target, options), timeoutMs, `target ${name}`);
      } catch (e) {
        problems.push(problemAt(configSrc, ['targets', name], printedMessage(e), true));
      }
      continue;
    }
    const url = (target as { url?: unknown }).url;
    if (typeof url !== 'string') continue;
    await attempt(['targets', name, 'url'], `target ${name}`, () => reachTcp(url, timeoutMs));
  }
  return problems;
}
