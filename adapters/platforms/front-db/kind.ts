// biome-ignore-all lint/suspicious/noTemplateCurlyInString: `${env:…}` and `${file:…}` are config reference syntax, not template slips.
/** A city front database (前置库) as a target kind (see adapters/platforms/kind-spec.ts). */
import { closed, kindConst, str } from '../../../config/schema/builders.js';
import { connection } from '../../../config/schema/sources.js';
import { delivery } from '../../../config/schema/target-parts.js';
import { frontDbKinds, sourceKind } from '../../../connectors/kinds.js';
import { DEFAULT_TIME_ZONE } from '../../../core/local-date.js';
import { timeZoneProblem } from '../../../core/time-zone.js';
import type { TlsSettings } from '../../../core/tls.js';
import type { OpenTargetOptions, TargetConfigProblem, TargetKindSpec } from '../kind-spec.js';
import type { FrontDbTargetConfig } from './config.js';
import { exchangeStatusProblems } from './exchange-status.js';
import { oracleAddressProblem, oracleTlsProblem } from './oracle-tls.js';

/** A list of `EXCHANGE_STATUS` codes: text, as the column holds them. */
const codeList = (description: string) => ({
  type: 'array',
  minItems: 1,
  uniqueItems: true,
  items: { type: 'string', minLength: 1, maxLength: 32 },
  description,
});

/** The config variant of a `front-db` target. */
const schema = closed(
  "A city front database (前置库): rows written into the platform's exchange table, which its exchange system picks up.",
  {
    kind: kindConst('front-db', 'Target kind.'),
    client: {
      type: 'string',
      enum: frontDbKinds(),
      description:
        'Database of the front database: a SQL kind the registry (connectors/kinds.ts) marks as one.',
    },
    connection,
    path: str('sqlite: path of the database file, relative to this file.'),
    table: str('Exchange table.', { default: 'UP_LIC_DATA' }),
    dataSource: str("Value of the data-source column (usually the issuing unit's credit code)."),
    createTable: {
      type: 'boolean',
      default: false,
      description: 'Create the exchange table when it is missing (test and demo front databases only).',
    },
    timeZone: {
      type: 'string',
      default: DEFAULT_TIME_ZONE,
      pattern: '^[A-Za-z][A-Za-z0-9_+-]*(/[A-Za-z0-9_+-]+)*$',
      description:
        "IANA time zone of the wall clock written into an `EXCHANGE_TIME` the table declares as a date/time without a zone (MySQL `DATETIME`, PostgreSQL `timestamp`, Oracle `DATE`, SQL Server `datetime2`), which the city's exchange system reads as its local time: the same time whatever this machine's zone, e.g. `Asia/Shanghai`, `Asia/Urumqi`. A column with a zone, or a MySQL `TIMESTAMP`, takes the instant itself; a text column the ISO text in UTC.",
    },
    exchangeStatus: closed(
      "The `EXCHANGE_STATUS` codes the city's exchange system writes when it has taken a row in or refused it. Set, a written row is a `submitted` delivery until the exchange system decides; `0` (what licbridge writes) and the `pending` codes stay undecided, `0` may be in no list, and no code may be in two (both checked when the target opens); a code in no list makes the delivery a dead letter naming it, to replay once the code is listed. Default: none, a written row is accepted at once.",
      {
        accepted: codeList('Codes that mean the exchange system took the row in: the delivery is accepted.'),
        rejected: codeList(
          'Codes that mean the exchange system refused the row: the delivery is rejected (a dead letter) with the code as its reason.',
        ),
        pending: codeList(
          'Codes that mean the exchange system picked the row up and has not decided yet: the delivery stays `submitted`. A code in no list (and not `0`) makes the delivery a dead letter naming the code. Default: none.',
        ),
        reasonColumn: str(
          "Column where the exchange system writes why it refused a row; its text joins the code in the dead letter's reason. Default: none, the code alone.",
          { pattern: '^[A-Za-z_][A-Za-z0-9_]*$' },
        ),
      },
      ['accepted', 'rejected'],
    ),
    ...delivery,
  },
  ['kind', 'client', 'dataSource'],
);

export const frontDbKind = {
  kind: 'front-db',
  title: 'front database',
  schema,
  delivers: true,
  problems(name, config) {
    const problems: TargetConfigProblem[] = [];
    // Without a file, SQLite opens a temporary database: rows written there (`createTable`) would
    // be answered accepted and be gone once the target closes.
    if (sourceKind(config.client)?.shape === 'sql-file' && !config.path) {
      problems.push({
        path: ['client'],
        message: `target ${name}: expected \`path\`, the database file, with \`client: ${config.client}\`, got none`,
      });
    }
    // A fresh KingbaseES has no `postgres` database, and node-postgres would take the user's name
    // for a missing one: never guessed, as for a kingbase source.
    const named = config.connection as { database?: unknown } | undefined;
    if (config.client === 'kingbase' && (named?.database === undefined || named.database === '')) {
      problems.push({
        path: ['connection'],
        message: `target ${name}: expected \`connection.database\` with \`client: kingbase\` (KingbaseES has no \`postgres\` database to fall back on; a fresh instance has \`test\`), got none`,
      });
    }
    const zone =
      config.timeZone === undefined
        ? undefined
        : timeZoneProblem(config.timeZone, `targets.${name}.timeZone`);
    if (zone !== undefined) problems.push({ path: ['timeZone'], message: zone });
    // node-oracledb thin mode takes a CA only with the client's certificate and key, and the other
    // way round (./oracle-tls.ts); thick mode reads its wallet from sqlnet.ora.
    const c = config.connection as { tls?: TlsSettings; thickMode?: boolean } | undefined;
    const tls = c?.tls;
    const oracle =
      sourceKind(config.client)?.frontDb?.tls === 'oracle' && c?.thickMode !== true
        ? oracleTlsProblem(name, tls)
        : undefined;
    if (oracle !== undefined)
      problems.push({ path: ['connection', 'tls', oracle.key], message: oracle.message });
    // The TCPS address built from host and database must not carry Easy Connect settings (./oracle-tls.ts).
    const address =
      tls !== undefined && sourceKind(config.client)?.frontDb?.tls === 'oracle'
        ? oracleAddressProblem(name, config.connection as Record<string, unknown> | undefined)
        : undefined;
    if (address !== undefined) problems.push({ path: ['connection', address.key], message: address.message });
    for (const p of config.exchangeStatus ? exchangeStatusProblems(config.exchangeStatus) : []) {
      problems.push({ path: ['exchangeStatus', ...p.path], message: `target ${name}: ${p.message}` });
    }
    return problems;
  },
  async checkConnection(name, config, options) {
    const target = await newTarget(name, config, options);
    try {
      await target.checkConnection();
    } finally {
      await target.close();
    }
  },
  async open(name, config, options) {
    const target = await newTarget(name, config, options);
    await target.refuseUnfitTable();
    return target;
  },
} as const satisfies TargetKindSpec<FrontDbTargetConfig>;

/** The target of this config, its code loaded only when a command needs it. */
async function newTarget(name: string, config: FrontDbTargetConfig, options: OpenTargetOptions) {
  const { FrontDbTarget } = await import('./front-db-target.js');
  return new FrontDbTarget(name, config, {
    ...(options.baseDir === undefined ? {} : { baseDir: options.baseDir }),
    ...(options.logger === undefined ? {} : { logger: options.logger }),
  });
}
