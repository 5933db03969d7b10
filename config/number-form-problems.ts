import type { Problem } from '../core/errors.js';
import { faultWithin, jsonPointer, problemAtPath, type YamlTree } from './yaml-tree.js';

/**
 * YAML 1.1 (a file starting `%YAML 1.1`) reads a number with a leading zero as octal and one with
 * colons as base 60: `pageSize: 0100` loaded as 64 and `lagMs: 1:30` as 90, inside every bound
 * the schema sets, and nothing said so. A number whose value is not what its digits say in
 * decimal is a problem at its line. (YAML 1.2 reads `0100` as 100: no problem there.) A value the
 * schema refuses, and a query's parameters (query-params-problems.ts), are reported there.
 */
export function numberFormProblems(
  tree: YamlTree,
  file: string,
  schemaErrorPaths: readonly string[],
): Problem[] {
  const problems: Problem[] = [];
  for (const node of tree.nodes.values()) {
    const written = node.written;
    if (written === undefined) continue;
    const { segments } = node;
    if (segments[0] === 'pipelines' && segments[2] === 'stream' && segments[3] === 'params') continue;
    if (faultWithin(schemaErrorPaths, jsonPointer(segments))) continue;
    let value: unknown = tree.data;
    for (const s of segments) value = (value as Record<string | number, unknown> | null)?.[s];
    if (typeof value !== 'number') continue;
    const digits = written.replaceAll('_', '');
    const octal = /^[-+]?0[0-9]+$/.test(digits) && value !== Number(digits);
    if (!octal && !/^[-+]?[0-9][0-9_]*(:[0-5]?[0-9])+(\.[0-9_]*)?$/.test(written)) continue;
    const how = octal ? 'octal' : 'base 60';
    problems.push(
      problemAtPath(
        tree,
        file,
        segments,
        `\`${written}\` is read by YAML 1.1 as the number ${String(value)} (${how}); write the number meant in decimal digits, without a leading zero or colons`,
      ),
    );
  }
  return problems;
}
