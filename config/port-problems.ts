import type { Problem } from '../core/errors.js';
import { jsonPointer, problemAtPath, type YamlTree } from './yaml-tree.js';

/**
 * A `port` may be a string of digits, so it can come from `${env:…}`; the schema's `minimum` and
 * `maximum` hold numbers only, so `port: "99999"` or `"0"` passed, `config check` said ok, and the
 * connection failed later. The range is held here for strings too, with the line.
 */
export function portProblems(tree: YamlTree, file: string): Problem[] {
  const problems: Problem[] = [];
  const walk = (value: unknown, segments: (string | number)[]): void => {
    if (Array.isArray(value)) {
      for (const [i, v] of value.entries()) walk(v, [...segments, i]);
      return;
    }
    if (value !== null && typeof value === 'object') {
      for (const [k, v] of Object.entries(value)) walk(v, [...segments, k]);
      return;
    }
    // Numbers and non-digit strings are the schema's to report.
    if (segments[segments.length - 1] !== 'port' || typeof value !== 'string' || !/^[0-9]+$/.test(value))
      return;
    const port = Number(value);
    if (port >= 1 && port <= 65_535) return;
    const ref = tree.nodes.get(jsonPointer(segments))?.ref;
    const got = ref === undefined ? `\`${value}\` (string)` : `a string from \`${ref}\``;
    problems.push(problemAtPath(tree, file, segments, `expected a port from 1 to 65535, got ${got}`));
  };
  walk(tree.data, []);
  return problems;
}
