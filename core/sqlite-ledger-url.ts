/**
 * The one reading of a `sqlite://` ledger URL, used by whatever opens, checks or names the file
 * (config loader, ledger/open-ledger.ts, `config check --connect`, `status`). Each used to cut the
 * URL its own way: the loader pasted the config's folder into the URL as it is spelt and the
 * ledger then %-decoded the whole, so a folder `/srv/dept%41` opened `/srv/deptA` and `/srv/100%`
 * failed as a malformed URL, while the check looked at the undecoded text; a `?query` became part
 * of the file name.
 *
 * The rule: what follows `sqlite://` is a file path (or `:memory:`), %-decoded as in any URL, so a
 * `%` in it is written `%25` and a `?` `%3F`; `#`, spaces and any other character stand for
 * themselves. A relative path is relative to `baseDir` (the config file's folder). SQLite's URI
 * options (`?mode=ro`, `?cache=shared`) are not read: a `?` starts a query, and any query is
 * refused rather than opening a file other than the one meant or ignoring what was asked.
 */
import { isAbsolute, resolve } from 'node:path';

const PREFIX = 'sqlite://';

/** A `sqlite://` URL read: its file (absolute), the in-memory database, or why it is no ledger URL. */
export type SqliteLedger = { file: string } | { memory: true } | { problem: string };

/** What a message shows of a URL the user wrote (it holds no password: SQLite has none). */
function shown(url: string): string {
  return `\`${url.length > 120 ? `${url.slice(0, 117)}...` : url}\``;
}

/**
 * The file `url` names, relative paths taken against `baseDir`; undefined when `url` is no
 * `sqlite://` URL. A problem names `field` and the value.
 */
export function readSqliteLedgerUrl(
  url: string,
  baseDir: string = process.cwd(),
  field = 'ledger.url',
): SqliteLedger | undefined {
  if (!url.startsWith(PREFIX)) return undefined;
  const rest = url.slice(PREFIX.length);
  if (rest.includes('?')) {
    return {
      problem: `expected \`${field}\` to name a SQLite file with no query (sqlite:// takes no options; a \`?\` in the file's name is written %3F), got ${shown(url)}`,
    };
  }
  let path: string;
  try {
    path = decodeURIComponent(rest);
  } catch {
    return {
      problem: `expected \`${field}\` to write a \`%\` in the file's path as %25 (the path is %-decoded, as in any URL), got ${shown(url)}`,
    };
  }
  if (path === '') return { problem: `expected a file path after sqlite:// in \`${field}\`, got nothing` };
  if (path === ':memory:') return { memory: true };
  return { file: isAbsolute(path) ? resolve(path) : resolve(baseDir, path) };
}

/** The `sqlite://` URL of the absolute path `file`, which {@link readSqliteLedgerUrl} reads back as `file`. */
export function sqliteLedgerUrl(file: string): string {
  return `${PREFIX}${file.replace(/[%?]/g, (c) => encodeURIComponent(c))}`;
}
