import { describeValue, type Problem } from '../core/errors.js';
import { readSqliteLedgerUrl } from '../core/sqlite-ledger-url.js';
import { dottedPath, forEachLeaf, jsonPointer, problemAtPath, type YamlTree } from './yaml-tree.js';

/**
 * A URL the schema's prefix pattern lets through can still be one no client can parse
 * (`redis://:pw@host:notaport`, `http://host:99999`, `http://host:0`): `config check` said ok, and the command that
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
      const moved = ref === undefined ? undefined : hostMovedBy(ref, new URL(value));
      // Alone: the rest of the URL as read (its path) holds a piece of the password.
      if (moved !== undefined) {
        problems.push(problemAtPath(tree, file, segments, moved));
        return;
      }
      const url = new URL(value);
      // Port 0 parses, and no client reaches it: the first request, query or queue command failed.
      if (url.port === '0') {
        problems.push(
          problemAtPath(
            tree,
            file,
            segments,
            `expected a URL with a port from 1 to 65535, or none for the scheme's own, got ${got}, on port 0`,
          ),
        );
        return;
      }
      // A Redis URL's path is its database number; any other path was read as database 0, so the
      // queues of two installations meant to be apart could meet there.
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
        `expected a URL, got ${got}, which does not parse: a port is digits from 1 to 65535, and a user name or password writes \`@\`, \`/\`, \`:\` and \`%\` %-encoded`,
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

const PLACEHOLDER = 'licbridgeref';

/**
 * Whether the values references put into a URL moved it off the host and port the file writes:
 * a password holding `@` and then `/`, `?` or `#` ends the user info early, and what follows its
 * `@` is read as the host (`lb:k9@rest/x@db` is host `rest`, handed the password `k9`). Each
 * reference is read as a placeholder to learn the URL as written; one whose host is itself a
 * reference, or that does not parse so, is not judged. The message names the references in the
 * user info, never the value nor the host it moved to (a piece of the password).
 */
function hostMovedBy(written: string, resolved: URL): string | undefined {
  if (written.includes('$${')) return undefined;
  const refs: string[] = [];
  const template = written.replace(/\$\{[^}]*\}/g, (r) => `${PLACEHOLDER}${refs.push(r) - 1}x`);
  if (refs.length === 0 || !URL.canParse(template)) return undefined;
  const asWritten = new URL(template);
  if (asWritten.host === '' || asWritten.host.includes(PLACEHOLDER)) return undefined;
  if (asWritten.host === resolved.host) return undefined;
  const userInfo = `${asWritten.username}:${asWritten.password}`;
  const named = refs.filter((_, i) => userInfo.includes(`${PLACEHOLDER}${i}x`));
  const which = (named.length > 0 ? named : refs).map((r) => `\`${r}\``).join(' and ');
  return `the value of ${which} moves the URL off the host and port written (\`${asWritten.host}\`): a user name or password writes \`@\`, \`/\`, \`?\`, \`#\` and \`:\` %-encoded (\`%40\`, \`%2F\`, \`%3F\`, \`%23\`, \`%3A\`)`;
}
