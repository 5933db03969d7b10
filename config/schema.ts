// biome-ignore-all lint/suspicious/noTemplateCurlyInString: `${env:…}` and `${file:…}` are config reference syntax, not template slips.
/**
 * The config, declared once as JSON Schema (draft-07, ajv 8). This one declaration drives
 * validation, defaults, `licbridge config schema` and editor completion, so every property has a
 * `description`, every optional field with a default declares it, and every object is closed with
 * `additionalProperties: false` — a typo fails loudly instead of being silently dropped.
 *
 * The shape is the config as a user writes it in YAML: before `${…}` references are resolved and
 * before relative paths are made absolute (see `config/types.ts` for the result).
 */

type Schema = Record<string, unknown>;

/** Names of sources, pipelines, signers and targets: they appear in job names, logs and Redis keys. */
export const NAME_PATTERN = '^[a-z][a-z0-9-]*$';
// GB 32100: the unified social credit code alphabet leaves out I, O, Z, S and V.
const CREDIT_CHARS = '[0-9A-HJ-NP-RTUW-Y]';
export const LICENSE_TYPE_PATTERN = `^${CREDIT_CHARS}{18}[0-9]{3}$`;
export const CREDIT_CODE_PATTERN = `^${CREDIT_CHARS}{18}$`;
export const AREA_CODE_PATTERN = '^[0-9]{6}$';
export const LEDGER_URL_PATTERN = '^(sqlite|postgres|postgresql)://';
const REDIS_URL_PATTERN = '^rediss?://';
const HTTP_URL_PATTERN = '^https?://';
// Braces allowed so a Redis Cluster hash tag (`{licbridge}`) keeps every queue key on one slot.
const PREFIX_PATTERN = '^[A-Za-z0-9_.{}-]+$';
const CRON_PATTERN = '^\\S+(\\s+\\S+){4,5}$';
const DIGITS_PATTERN = '^[0-9]+$';

/** What each pattern means, in words, for "expected …, got …" messages. */
export const patternHints: Readonly<Record<string, string>> = {
  [NAME_PATTERN]: 'a name of lowercase letters, digits and `-`, starting with a letter',
  [LICENSE_TYPE_PATTERN]: 'a 21-character license type code (18-character credit code + 3 digits)',
  [CREDIT_CODE_PATTERN]: 'an 18-character unified social credit code (digits and capitals but I, O, Z, S, V)',
  [AREA_CODE_PATTERN]: 'a 6-digit administrative division code',
  [LEDGER_URL_PATTERN]: 'a URL starting with `sqlite://`, `postgres://` or `postgresql://`',
  [REDIS_URL_PATTERN]: 'a URL starting with `redis://` or `rediss://`',
  [HTTP_URL_PATTERN]: 'a URL starting with `http://` or `https://`',
  [PREFIX_PATTERN]: 'letters, digits, `_`, `-`, `.`, `{` and `}`',
  [CRON_PATTERN]: 'a cron expression of 5 or 6 fields',
  [DIGITS_PATTERN]: 'digits only',
};

const str = (description: string, extra: Schema = {}): Schema => ({
  type: 'string',
  minLength: 1,
  description,
  ...extra,
});

const int = (description: string, minimum: number, maximum: number, extra: Schema = {}): Schema => ({
  type: 'integer',
  minimum,
  maximum,
  description,
  ...extra,
});

const closed = (
  description: string,
  properties: Record<string, Schema>,
  required: string[] = [],
): Schema => ({
  type: 'object',
  description,
  additionalProperties: false,
  ...(required.length > 0 ? { required } : {}),
  properties,
});

/** A map section: entries keyed by names, each validated by `entry`. */
const namedMap = (description: string, entry: Schema): Schema => ({
  type: 'object',
  description,
  default: {},
  additionalProperties: false,
  patternProperties: { [NAME_PATTERN]: entry },
});

const nameRef = (description: string): Schema => str(description, { pattern: NAME_PATTERN });

const ledger = closed(
  "licbridge's own store: license versions, checkpoints, signatures, deliveries, audit chain.",
  {
    url: str(
      'Ledger database URL: `sqlite://./data/ledger.db` (relative to this file), `sqlite://:memory:`, or `postgres://user:pass@host:5432/db` in production.',
      { pattern: LEDGER_URL_PATTERN },
    ),
  },
  ['url'],
);

const queue: Schema = {
  ...closed('The BullMQ queues between pipeline stages.', {
    redis: str('Redis URL the queues live in.', {
      pattern: REDIS_URL_PATTERN,
      default: 'redis://127.0.0.1:6379',
    }),
    prefix: str('Prefix of every queue key, so several deployments can share one Redis.', {
      pattern: PREFIX_PATTERN,
      default: 'licbridge',
    }),
    connectTimeoutMs: int('How long to wait for Redis before giving up, ms.', 100, 600_000, {
      default: 5000,
    }),
  }),
  default: {},
};

const log: Schema = {
  ...closed('Logging.', {
    level: {
      type: 'string',
      enum: ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'],
      default: 'info',
      description: 'Lowest level written to the log.',
    },
  }),
  default: {},
};

const sourceCommon: Record<string, Schema> = {
  trim: {
    description:
      'Columns whose CHAR padding is trimmed: `all`, `none`, or a list of column names. Legacy CHAR columns pad with spaces that would otherwise change content hashes.',
    default: 'all',
    anyOf: [
      { type: 'string', enum: ['all', 'none'], description: 'Trim every column, or none.' },
      {
        type: 'array',
        description: 'Trim only these columns.',
        minItems: 1,
        uniqueItems: true,
        items: str('A column name.'),
      },
    ],
  },
  pageSize: int(
    'Rows read per page; a page is the unit of progress and of one ledger transaction.',
    1,
    50_000,
    {
      default: 500,
    },
  ),
};

const connection = closed(
  'How to reach the database. Keys a dialect does not use are ignored by it. Put secrets in `${env:…}` references.',
  {
    host: str('Host name or IP address of the database server.'),
    port: {
      type: ['integer', 'string'],
      pattern: DIGITS_PATTERN,
      minimum: 1,
      maximum: 65535,
      description: 'TCP port; a string of digits is accepted so it can come from `${env:…}`.',
    },
    database: str('Database (catalog) name.'),
    user: str('Login user; a read-only account is recommended.'),
    password: { type: 'string', description: 'Login password, usually `${env:…}`.' },
    ssl: { type: 'boolean', description: 'postgres, mysql: connect over TLS.' },
    encrypt: { type: 'boolean', description: 'mssql: encrypt the connection (TLS).' },
    trustServerCertificate: {
      type: 'boolean',
      description: 'mssql: accept a self-signed server certificate (old SQL Server installs).',
    },
    instanceName: str('mssql: named instance, e.g. `SQLEXPRESS`.'),
    connectString: str('oracle: Easy Connect string or TNS alias, e.g. `10.0.3.20:1521/ORCL`.'),
    charset: str('mysql: connection character set, e.g. `utf8mb4` or `gbk`.'),
  },
);

const kindConst = (kind: string, description: string): Schema => ({
  type: 'string',
  const: kind,
  description,
});

const sqliteSource = closed(
  'A SQLite database file.',
  {
    kind: kindConst('sqlite', 'Source kind.'),
    path: str('Path of the database file, relative to this file. Opened read-only.'),
    ...sourceCommon,
  },
  ['kind', 'path'],
);

const networkSource = closed(
  'A database server reached over the network.',
  {
    kind: {
      type: 'string',
      enum: ['postgres', 'mysql', 'mssql', 'oracle'],
      description: 'Source kind (SQL dialect).',
    },
    connection,
    ...sourceCommon,
  },
  ['kind', 'connection'],
);

const xmlFilesSource = closed(
  'A folder of XML export files.',
  {
    kind: kindConst('xml-files', 'Source kind.'),
    path: str('Folder holding the XML files, relative to this file.'),
    ...sourceCommon,
  },
  ['kind', 'path'],
);

const source: Schema = {
  type: 'object',
  description: "A department's legacy system licbridge reads from.",
  discriminator: { propertyName: 'kind' },
  oneOf: [sqliteSource, networkSource, xmlFilesSource],
};

const pipeline = closed(
  'Moves one license type from one source to the license system.',
  {
    source: nameRef('Name of the source (under `sources`) to read from.'),
    stream: closed(
      'Which table to read and how to page through it.',
      {
        table: str('Table or view to read, e.g. `dbo.T_SPXK_XKZ`.'),
        key: str('Column that identifies a row; licenses get their identifier from it.'),
        cursor: str('Column that grows on every change (update time); incremental runs read past it.'),
      },
      ['table', 'key'],
    ),
    mapping: str('Path of the mapping file, relative to this file.'),
    licenseType: str('21-character license type code; must exist in the catalog.', {
      pattern: LICENSE_TYPE_PATTERN,
    }),
    issuer: closed(
      'The issuing unit.',
      {
        name: str('Full name of the issuing unit.'),
        code: str('Unified social credit code of the issuing unit.', { pattern: CREDIT_CODE_PATTERN }),
      },
      ['name', 'code'],
    ),
    areaCode: str('6-digit division code used when the mapping sets none. Quote it in YAML.', {
      pattern: AREA_CODE_PATTERN,
    }),
    signer: nameRef("Name of the signer (under `signers`) that seals this pipeline's licenses."),
    targets: {
      type: 'array',
      description: 'Names of the targets (under `targets`) every license is delivered to.',
      minItems: 1,
      uniqueItems: true,
      items: nameRef('Name of a target.'),
    },
    schedule: str('Cron expression for `licbridge schedule`, e.g. `*/15 * * * *`.', {
      pattern: CRON_PATTERN,
    }),
    pageSize: int("Overrides the source's page size.", 1, 50_000),
  },
  ['source', 'stream', 'mapping', 'licenseType', 'issuer', 'signer', 'targets'],
);

const localSm2Signer = closed(
  'Signs with an SM2 private key held by licbridge (SM3 digest).',
  {
    kind: kindConst('local-sm2', 'Signer kind.'),
    key: str('PEM text of the PKCS#8 private key, usually `${file:…}`.'),
    passphrase: { type: 'string', description: 'Passphrase of an encrypted key, usually `${env:…}`.' },
    certificate: str("Path of the seal's X.509 certificate (PEM), relative to this file."),
    sealId: str('Seal id recorded with every signature.'),
    distId: str('SM2 distinguishing id (GM/T 0009 default).', { default: '1234567812345678' }),
  },
  ['kind', 'key', 'sealId'],
);

const signer: Schema = {
  type: 'object',
  description: 'An electronic seal that signs licenses.',
  discriminator: { propertyName: 'kind' },
  oneOf: [localSm2Signer],
};

const hmacAuth = closed(
  'HMAC-signed requests with an app key and secret.',
  {
    scheme: kindConst('hmac', 'Authentication scheme.'),
    appKey: str('App key issued by the platform.'),
    secret: str('App secret issued by the platform, usually `${env:…}`.'),
  },
  ['scheme', 'appKey', 'secret'],
);

const noAuth = closed(
  'No authentication (simulators, closed networks).',
  {
    scheme: kindConst('none', 'Authentication scheme.'),
  },
  ['scheme'],
);

const restJsonTarget = closed(
  'A platform taking batches of licenses as JSON over HTTP.',
  {
    kind: kindConst('rest-json', 'Target kind.'),
    url: str('Base URL; batches are POSTed to `<url>/licenses/batch`.', { pattern: HTTP_URL_PATTERN }),
    auth: {
      type: 'object',
      description: 'How requests authenticate.',
      default: { scheme: 'none' },
      discriminator: { propertyName: 'scheme' },
      oneOf: [hmacAuth, noAuth],
    },
    batchSize: int('Licenses per request.', 1, 10_000, { default: 100 }),
    timeoutMs: int('Request timeout, ms.', 100, 600_000, { default: 10_000 }),
    concurrency: int('Jobs worked at once.', 1, 256, { default: 4 }),
    attempts: int('Attempts before a delivery is dead-lettered.', 1, 100, { default: 8 }),
  },
  ['kind', 'url'],
);

const target: Schema = {
  type: 'object',
  description: 'A platform licenses are delivered to.',
  discriminator: { propertyName: 'kind' },
  oneOf: [restJsonTarget],
};

export const configSchema: Readonly<Schema> = deepFreeze({
  $schema: 'http://json-schema.org/draft-07/schema#',
  $id: 'https://licbridge.dev/schema/config.json',
  title: 'licbridge config',
  ...closed(
    'A licbridge deployment: where licenses come from, how they are signed and where they go.',
    {
      ledger,
      queue,
      catalog: str('Folder of the license catalog (one YAML file per license type), relative to this file.'),
      sources: namedMap('Legacy systems to read from, by name.', source),
      pipelines: namedMap('Pipelines, by name; each moves one license type from one source.', pipeline),
      signers: namedMap('Electronic seals, by name.', signer),
      targets: namedMap('Platforms to deliver to, by name.', target),
      log,
    },
    ['ledger', 'catalog'],
  ),
});

/** The schema as pretty JSON, for `licbridge config schema` and editors. */
export function configSchemaJson(): string {
  return `${JSON.stringify(configSchema, null, 2)}\n`;
}

function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const v of Object.values(value)) deepFreeze(v);
  }
  return value;
}
