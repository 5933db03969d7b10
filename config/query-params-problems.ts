import type { Problem } from '../core/errors.js';
import { asRecord, jsonPointer, problemAtPath, type YamlTree } from './yaml-tree.js';

/**
 * `stream.params` are bound to the query as YAML read them, and the schema takes a number there as
 * well as text. An unquoted `0102` is the number 102 and an 18-digit code a number it cannot hold
 * exactly: the query selected other rows than written, or none (a text column never equals 102),
 * and nothing said so. A number or boolean that does not write back as it was written is a
 * problem at its line; quoted, it binds the text.
 */
export function queryParamsProblems(tree: YamlTree, file: string): Problem[] {
  const problems: Problem[] = [];
  for (const [name, value] of Object.entries(asRecord(asRecord(tree.data)?.pipelines) ?? {})) {
    const params = asRecord(asRecord(value)?.stream)?.params;
    if (!Array.isArray(params)) continue;
    params.forEach((param, i) => {
      const segments = ['pipelines', name, 'stream', 'params', i];
      const written = tree.nodes.get(jsonPointer(segments))?.written;
      // A YAML 1.1 date is no value a parameter takes: the schema's to report.
      if (written === undefined || typeof param === 'object') return;
      const reads = typeof param === 'number' ? `the number ${String(param)}` : String(param);
      problems.push(
        problemAtPath(
          tree,
          file,
          segments,
          `\`${written}\` is read by YAML as ${reads}, and would be bound so; quote it ("${written}") to bind the text, or write the value as it reads`,
        ),
      );
    });
  }
  return problems;
}
