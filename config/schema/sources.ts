// biome-ignore-all lint/suspicious/noTemplateCurlyInString: `${env:…}` and `${file:…}` are config reference syntax, not template slips.
import { closed, DIGITS_PATTERN, int, kindConst, type Schema, str } from './builders.js';

/** Sources: the legacy systems licbridge reads from. One variant per `kind`. */
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

export const source: Schema = {
  type: 'object',
  description: "A department's legacy system licbridge reads from.",
  discriminator: { propertyName: 'kind' },
  oneOf: [sqliteSource, networkSource, xmlFilesSource],
};
