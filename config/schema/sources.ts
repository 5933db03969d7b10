// biome-ignore-all lint/suspicious/noTemplateCurlyInString: `${env:…}` and `${file:…}` are config reference syntax, not template slips.
import type { SourceShape } from '../../connectors/kind-spec.js';
import { SOURCE_KINDS } from '../../connectors/kinds.js';
import { SOURCE_ENCODINGS } from '../../core/encoding-labels.js';
import { closed, DIGITS_PATTERN, FILE_GLOB_PATTERN, int, type Schema, secret, str } from './builders.js';
import { tls } from './tls.js';

function columnList(description: string): Schema {
  return { type: 'array', description, minItems: 1, uniqueItems: true, items: str('A column name.') };
}

/** Charset repair of latin1 columns: a database's; an export file's bytes are decoded by `encoding`. */
const charset: Schema = closed(
  'Charset repair: columns whose text is GBK/cp936 bytes stored in a latin1 column. The bytes are recovered and decoded as `from`; a value with invalid bytes quarantines its row instead of becoming garbage. Default: no repair.',
  {
    repair: columnList('Columns to repair.'),
    from: {
      type: 'string',
      enum: ['gb18030', 'gbk', 'cp936', 'big5'],
      default: 'gb18030',
      description: 'Encoding of the stored bytes; GB18030 is a superset of GBK and cp936.',
    },
  },
  ['repair'],
);

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
  ...legacySourceOptions(),
};

/**
 * What every source kind shares, and the database sources' charset repair, as one closed object:
 * the row repair (connectors/repair/) reads its defaults from here when given options built in code.
 */
export const sourceSettings: Schema = closed('Settings every source kind shares, and charset repair.', {
  ...sourceCommon,
  charset,
});

/** Legacy value repair and gentleness knobs shared by every source kind (see docs/connectors.md). */
function legacySourceOptions(): Record<string, Schema> {
  return {
    zeroDates: {
      description:
        'Columns whose zero or placeholder dates (`00000000`, `0000-00-00`, `0000-00-00 00:00:00`, `00000000000000`) become null: `all`, `none`, or a list of column names.',
      default: 'none',
      anyOf: [
        { type: 'string', enum: ['all', 'none'], description: 'Every column, or none.' },
        columnList('Only these columns.'),
      ],
    },
    maxValueBytes: int(
      'Largest text or binary value (CLOB/BLOB/TEXT included) a row may carry, in bytes; a larger one quarantines its row. Bounds memory per page.',
      1,
      1_073_741_824,
      { default: 16_777_216 },
    ),
    readWindow: str(
      'Local time window (HH:MM-HH:MM, may span midnight) in which licbridge reads this source, e.g. `20:00-06:00`. Outside it a run reads nothing and a running read stops at the next page. Default: always.',
      { pattern: '^([01][0-9]|2[0-3]):[0-5][0-9]-([01][0-9]|2[0-3]):[0-5][0-9]$' },
    ),
    maxRowsPerSecond: int(
      'Ceiling on rows read per second from this source. Default: no ceiling.',
      1,
      10_000_000,
    ),
  };
}

/**
 * What only a database source has: a connection, statements, a clock rows commit against, latin1
 * columns holding GBK bytes. An
 * xml-files source refuses them (`DATABASE_ONLY_SOURCE_KEYS`) rather than take and ignore them.
 */
const databaseSourceOptions: Record<string, Schema> = {
  charset,
  statementTimeoutMs: int(
    'Per-statement timeout on the source database, ms; a page query running longer is cancelled.',
    1_000,
    3_600_000,
    { default: 60_000 },
  ),
  connectTimeoutMs: int('How long to wait for a connection to the source, ms.', 500, 600_000, {
    default: 15_000,
  }),
  lagMs: int(
    "Lag window of cursor streams, ms: rows whose cursor is within this much of the database clock wait for the next run, so rows committing at the boundary are not lost. Needs a date/time cursor on a server database: SQLite has no database clock, and a value above 0 on a SQLite source is refused by `config check` and by each run of a stream with a cursor. 0 turns the window off (a date/time cursor of a table stream is still read only up to the database clock: a row dated ahead of it waits for its time, and each read that leaves such rows warns with their count), and a row that commits while a page is read, with a cursor at or below the page's last, can then be skipped for good: each run and `config check --connect` warn about a date/time cursor on a server database read with 0. Set it a little above your longest write transaction, 5000–30000.",
    0,
    86_400_000,
    { default: 0 },
  ),
};

/** Why each database-only key means nothing to a folder of export files (config/schema-problems.ts). */
export const DATABASE_ONLY_SOURCE_KEYS: Readonly<Record<string, string>> = {
  charset: 'it decodes each file whole by `encoding`; set `encoding: gbk` for an export written in GBK',
  statementTimeoutMs: 'it reads files and runs no statement',
  connectTimeoutMs: 'it reads a folder and opens no connection',
  lagMs: 'its export files are complete when written, with no commit boundary to wait out',
};

/**
 * The message for `key` set on a source of `kind` whose variant does not take it, or undefined
 * when the key is not one a database source takes.
 */
export function databaseOnlyKeyMessage(kind: unknown, key: string): string | undefined {
  const why = DATABASE_ONLY_SOURCE_KEYS[key];
  if (why === undefined || typeof kind !== 'string') return undefined;
  return `\`${key}\` applies to database sources only; an ${kind} source does not take it (${why}): remove it`;
}

export const connection = closed(
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
    password: secret({ type: 'string', description: 'Login password, usually `${env:…}`.' }),
    ssl: {
      type: 'boolean',
      description:
        'postgres, mysql: connect over TLS, with the server certificate and host name verified (against `tls.ca`, else the public roots). Setting `tls` turns TLS on too.',
    },
    encrypt: {
      type: 'boolean',
      description:
        'mssql: encrypt the connection (TLS), with the server certificate verified. Default: true; `false` needs a closed network.',
    },
    trustServerCertificate: {
      type: 'boolean',
      description:
        "mssql: accept any server certificate (old SQL Server installs with a self-signed one). Same as `tls.insecureSkipVerify`: `config check` warns and `licbridge status` needs a person while it is set; prefer the server's CA in `tls.ca`.",
    },
    tls,
    instanceName: str('mssql: named instance, e.g. `SQLEXPRESS`.'),
    connectString: str('oracle: Easy Connect string or TNS alias, e.g. `10.0.3.20:1521/ORCL`.'),
    charset: str(
      'mysql: connection character set; default `utf8mb4`. A narrower one (`utf8`, `gbk`, `latin1`) is refused where the server has utf8mb4: the server writes `?` for each character it lacks.',
    ),
    thickMode: {
      type: 'boolean',
      description:
        'oracle: use node-oracledb thick mode (needs Oracle Instant Client); required for Oracle 11g, which thin mode refuses. Default: thin.',
    },
    libDir: str(
      'oracle, thick mode: folder of Oracle Instant Client, relative to this file. `~` is not expanded: a folder starting with it is refused; write the absolute path.',
    ),
  },
);

/** The `kind` of one schema variant: every registered kind configured that way (connectors/kinds.ts). */
function kindOf(shape: SourceShape): Schema {
  const kinds = SOURCE_KINDS.filter((k) => k.shape === shape);
  const titles = kinds.map((k) => `\`${k.kind}\` ${k.title}`).join(', ');
  return { type: 'string', enum: kinds.map((k) => k.kind), description: `Source kind: ${titles}.` };
}

const sqliteSource = closed(
  'A SQLite database file.',
  {
    kind: kindOf('sql-file'),
    path: str('Path of the database file, relative to this file. Opened read-only.'),
    ...sourceCommon,
    ...databaseSourceOptions,
  },
  ['kind', 'path'],
);

const networkSource = closed(
  'A database server reached over the network.',
  {
    kind: kindOf('sql-server'),
    connection,
    ...sourceCommon,
    ...databaseSourceOptions,
  },
  ['kind', 'connection'],
);

const xmlFilesSource = closed(
  'A folder of XML export files.',
  {
    kind: kindOf('export-files'),
    path: str('Folder holding the XML files, relative to this file.'),
    ...sourceCommon,
    ...xmlFilesOptions(),
  },
  ['kind', 'path', 'recordPath'],
);

/** The xml-files knobs (see docs/xml-exports.md). */
function xmlFilesOptions(): Record<string, Schema> {
  return {
    pattern: str(
      'Which files of the folder are read: a glob on the file name (`*`, `?`, `[abc]`), matched case-insensitively.',
      { default: '*.xml', pattern: FILE_GLOB_PATTERN },
    ),
    recordPath: str(
      'Slash-separated element path from the document root to one record, e.g. `Root/Records/Record`. A pipeline names it as its `stream.table`.',
      { pattern: '^[^/\\s]+(/[^/\\s]+)*$' },
    ),
    fields: {
      type: 'array',
      description:
        'Field names (child elements or attributes) every record is expected to carry. Lets a stream with a wrong key or cursor fail before the first export arrives, and discovery list columns of an empty folder. Default: learnt from the records.',
      minItems: 1,
      uniqueItems: true,
      items: str('A field name.'),
    },
    lists: {
      type: 'array',
      description:
        'Elements that hold a list (holders, business scope items), read as a list in every record: a JSON list text, `["甲"]` for one occurrence as `["甲","乙"]` for two, as a database array column is read; null in a record without the element. A child element by its dotted name (`ZT.XM`); a repeated container (`JYXM`) makes each of its fields a list. Default: none, and an element the record holds once is its text.',
      minItems: 1,
      uniqueItems: true,
      items: str('An element name, as its field is named.', { pattern: '^[^/\\s]+$' }),
    },
    encoding: {
      type: 'string',
      enum: ['auto', ...SOURCE_ENCODINGS],
      default: 'auto',
      description:
        "`auto`: the byte-order mark, else the XML declaration, else UTF-8, its bytes checked against it. A named encoding overrides the declaration (some export tools declare UTF-8 and write GBK) and is trusted: the file's bytes are not doubted. `gbk` is decoded as GB18030, its superset. `big5`, `shift_jis` and `euc-kr` read a Taiwanese, Japanese or Korean tool's export whose few non-ASCII characters are valid UTF-8 by chance, which `auto` doubts.",
    },
    maxFileBytes: int(
      'Largest file read, in bytes. A larger file stops the read with an error naming it, so one runaway export cannot exhaust memory.',
      1,
      2_147_483_647,
      { default: 67_108_864 },
    ),
  };
}

export const source: Schema = {
  type: 'object',
  description: "A department's legacy system licbridge reads from.",
  discriminator: { propertyName: 'kind' },
  oneOf: [sqliteSource, networkSource, xmlFilesSource],
};
