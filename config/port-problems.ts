import type { Problem } from '../core/errors.js';
import { HOST_PORT_PATTERN } from './schema/builders.js';
import { asRecord, forEachLeaf, jsonPointer, problemAtPath, type YamlTree } from './yaml-tree.js';

/**
 * A `port` may be a string of digits, so it can come from `${env:…}`; the schema's `minimum` and
 * `maximum` hold numbers only, so `port: "99999"` or `"0"` passed, `config check` said ok, and the
 * connection failed later. The range is held here for strings too, with the line.
 */
export function portProblems(tree: YamlTree, file: string): Problem[] {
  const problems: Problem[] = [];
  forEachLeaf(tree.data, (value, segments) => {
    // Numbers and non-digit strings are the schema's to report.
    if (segments[segments.length - 1] !== 'port' || typeof value !== 'string' || !/^[0-9]+$/.test(value))
      return;
    const port = Number(value);
    if (port >= 1 && port <= 65_535) return;
    problems.push(
      problemAtPath(
        tree,
        file,
        segments,
        `expected a port from 1 to 65535, got ${got(tree, segments, value)}`,
      ),
    );
  });
  problems.push(...nodePortProblems(tree, file));
  return problems;
}

const HOST_PORT = new RegExp(HOST_PORT_PATTERN);

/**
 * A Redis sentinel or cluster node is `host:port`, and the schema's pattern takes any one to five
 * digits for the port: `10.0.0.5:99999` or `:0` loaded, and every connection to the node failed
 * later (the socket refuses the port ioredis hands it). The range is held here, with the line.
 */
function nodePortProblems(tree: YamlTree, file: string): Problem[] {
  const redis = asRecord(asRecord(asRecord(tree.data)?.queue)?.redis);
  const problems: Problem[] = [];
  for (const list of ['sentinels', 'cluster']) {
    const nodes = redis?.[list];
    if (!Array.isArray(nodes)) continue;
    for (const [i, node] of nodes.entries()) {
      // Another shape is the schema's to report.
      if (typeof node !== 'string' || !HOST_PORT.test(node)) continue;
      const port = Number(node.slice(node.lastIndexOf(':') + 1));
      if (port >= 1 && port <= 65_535) continue;
      const segments = ['queue', 'redis', list, i];
      problems.push(
        problemAtPath(
          tree,
          file,
          segments,
          `expected a \`host:port\` address with a port from 1 to 65535, got ${got(tree, segments, node)}`,
        ),
      );
    }
  }
  return problems;
}

/** The value as written, or the reference it came from. */
function got(tree: YamlTree, segments: readonly (string | number)[], value: string): string {
  const ref = tree.nodes.get(jsonPointer(segments))?.ref;
  return ref === undefined ? `\`${value}\` (string)` : `a string from \`${ref}\``;
}
