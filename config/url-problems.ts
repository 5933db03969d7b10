import { describeValue, type Problem } from '../core/errors.js';
import { readSqliteLedgerUrl } from '../core/sqlite-ledger-url.js';
import { dottedPath, forEachLeaf, jsonPointer, problemAtPath, type YamlTree } from './yaml-tree.js';

/**
 * A URL the schema's prefix pattern lets through can still be one no client can parse
 * (`redis://:pw@host:notaport`, `http://host:99999`): `config check` said ok, and the command that
 * opened it failed later, or the driver read it otherwise than written. Reported here with the line.
 * The value is shown with its user and password masked, or by the reference it came from.
 */
export function urlProblems(tree: YamlTree, file: string): Problem[] {
  const problems: Problem[] = [];
  forEachLeaf(tree.data, (value, segments) => {
    if (typeof value !== 'string' || !isUrlField(segments)) return;
    // Other shapes are the schema's to report.
    if (!/^[a-z][a-z0-9+.-]*:\/\//i.test(value)) return;
    const pointer = jsonPointer(segments);
    if (tree.failedRefs.has(pointer)) return;
    // A SQLite path (`sqlite://:memory:`) is no network URL: it is read as the ledger reads it.
    if (/^sqlite:/i.test(value)) {
      const read = readSqliteLedgerUrl(value, '/', dottedPath(segments));
      if (read !== undefined && 'problem' in read)
        problems.push(problemAtPath(tree, file, segments, read.problem));
      return;
    }
    const ref = tree.nodes.get(pointer)?.ref;
    const got = ref === undefined ? describeValue(value) : `a string from \`${ref}\``;
    if (URL.canParse(value)) {
      // A Redis URL's path is its database number; any other path was read as database 0, so the
      // queues of two installations meant to be apart could meet there.
      const url = new URL(value);
      if (/^rediss?:$/i.test(url.protocol) && url.pathname !== '' && !/^\/\d{0,5}$/.test(url.pathname)) {
        problems.push(
          problemAtPath(
            tree,
            file,
            segments,
            `expected a Redis URL whose path is a database number (\`redis://host:6379/2\`), got ${got}, whose path \`${url.pathname.slice(0, 40)}\` is not one`,
          ),
        );
      }
      return;
    }
    problems.push(
      problemAtPath(
        tree,
        file,
        segments,
        `expected a URL, got ${got}, which does not parse: a port is digits from 0 to 65535, and a user name or password writes \`@\`, \`/\`, \`:\` and \`%\` %-encoded`,
      ),
    );
  });
  return problems;
}

/** `…url`, `…Url` (ledger, targets, token and refresh endpoints, signing servers) and `queue.redis`. */
function isUrlField(segments: readonly (string | number)[]): boolean {
  const last = segments[segments.length - 1];
  if (typeof last !== 'string') return false;
  if (last === 'url' || last.endsWith('Url')) return true;
  return segments.length === 2 && segments[0] === 'queue' && last === 'redis';
}
