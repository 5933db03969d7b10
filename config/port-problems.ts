import type { Problem } from '../core/errors.js';
import { forEachLeaf, jsonPointer, problemAtPath, type YamlTree } from './yaml-tree.js';

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
    const ref = tree.nodes.get(jsonPointer(segments))?.ref;
    const got = ref === undefined ? `\`${value}\` (string)` : `a string from \`${ref}\``;
    problems.push(problemAtPath(tree, file, segments, `expected a port from 1 to 65535, got ${got}`));
  });
  return problems;
}
