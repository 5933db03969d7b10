// biome-ignore-all lint/suspicious/noTemplateCurlyInString: `${env:…}` and `${file:…}` are config reference syntax, not template slips.
/** Building blocks of the config schema: patterns, and helpers that put a description on every field. */

export type Schema = Record<string, unknown>;

/** Names of sources, pipelines, signers and targets: they appear in job names, logs and Redis keys. */
export const NAME_PATTERN = '^[a-z][a-z0-9-]*$';
// GB 32100: the unified social credit code alphabet leaves out I, O, Z, S and V.
export const CREDIT_CHARS = '[0-9A-HJ-NP-RTUW-Y]';
export const LICENSE_TYPE_PATTERN = `^${CREDIT_CHARS}{18}[0-9]{3}$`;
export const CREDIT_CODE_PATTERN = `^${CREDIT_CHARS}{18}$`;
export const AREA_CODE_PATTERN = '^[0-9]{6}$';
/** A calendar year, as `calendar.years` keys are written (`"2027"`). */
export const YEAR_PATTERN = '^[0-9]{4}$';
export const LEDGER_URL_PATTERN = '^(sqlite|postgres|postgresql)://';
export const REDIS_URL_PATTERN = '^rediss?://';
export const HTTP_URL_PATTERN = '^https?://';
// Braces allowed so a Redis Cluster hash tag (`{licbridge}`) keeps every queue key on one slot.
export const PREFIX_PATTERN = '^[A-Za-z0-9_.{}-]+$';
/**
 * A Prometheus metric name's start, written as Prometheus writes its name rule (and so a key of its
 * own in `patternHints`): no `-`, `.` or braces, no digit first; `:` is left to recording rules.
 */
export const METRIC_PREFIX_PATTERN = '^[a-zA-Z_][a-zA-Z0-9_]*$';
export const CRON_PATTERN = '^\\S+(\\s+\\S+){4,5}$';
export const DIGITS_PATTERN = '^[0-9]+$';
/** `host:port` of a Redis sentinel or cluster node; IPv6 addresses in brackets. */
export const HOST_PORT_PATTERN = '^(\\[[0-9A-Fa-f:.]+\\]|[^\\s:\\[\\]]+):[0-9]{1,5}$';
/** A Redis Cluster hash tag: the first `{…}` of a key, when not empty, alone picks the key's slot. */
/** A moment: an ISO date and time with its zone (`Z` or `±hh:mm`). */
export const ISO_TIME_PATTERN =
  '^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}(:[0-9]{2}(\\.[0-9]+)?)?(Z|[+-][0-9]{2}:[0-9]{2})$';

export const HASH_TAG_PATTERN = '^[^{]*\\{[^{}]+\\}';
/** An xml-files `pattern`: matched against the names a folder lists, a `/` in it matches none. */
export const FILE_GLOB_PATTERN = '^[^/]+$';

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
  [METRIC_PREFIX_PATTERN]:
    'letters, digits and `_`, not starting with a digit: the start of a Prometheus metric name',
  [CRON_PATTERN]: 'a cron expression of 5 or 6 fields',
  [DIGITS_PATTERN]: 'digits only',
  [HOST_PORT_PATTERN]: 'a `host:port` address, such as `10.0.0.5:26379`',
  [ISO_TIME_PATTERN]: 'an ISO date and time with its zone, such as `2026-03-01T00:00:00+08:00`',
  [FILE_GLOB_PATTERN]:
    'a glob on file names, without `/` (sub-folders are not read: point `path` at the folder holding the export files, a source for each folder)',
  [HASH_TAG_PATTERN]:
    'a hash tag in braces, such as `{licbridge}`: on a Redis Cluster it keeps every key of a queue in one slot',
};

export const str = (description: string, extra: Schema = {}): Schema => ({
  type: 'string',
  minLength: 1,
  description,
  ...extra,
});

/**
 * A secret setting: a password, token, secret, passphrase or private key. `writeOnly` is JSON
 * Schema's own mark for such a value (draft-07 validation §10.3 names a password), an annotation
 * that validates nothing. Secrets are found by it in one place (config/inline-secrets.ts):
 * `config check` warns of each written inline, and the reference says so beside it.
 */
export const secret = (schema: Schema): Schema => ({ ...schema, writeOnly: true });

export const int = (description: string, minimum: number, maximum: number, extra: Schema = {}): Schema => ({
  type: 'integer',
  minimum,
  maximum,
  description,
  ...extra,
});

export const closed = (
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
export const namedMap = (description: string, entry: Schema): Schema => ({
  type: 'object',
  description,
  default: {},
  additionalProperties: false,
  patternProperties: { [NAME_PATTERN]: entry },
});

export const nameRef = (description: string): Schema => str(description, { pattern: NAME_PATTERN });

export const kindConst = (kind: string, description: string): Schema => ({
  type: 'string',
  const: kind,
  description,
});
