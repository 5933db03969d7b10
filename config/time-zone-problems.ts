import type { Problem } from '../core/errors.js';
import { timeZoneProblem } from '../core/time-zone.js';
import { asRecord, faultWithin, jsonPointer, problemAtPath, type YamlTree } from './yaml-tree.js';

/** The config's own zones; a target's (front-db `timeZone`) is its kind's to check. */
const ZONE_FIELDS: readonly (readonly [string, string])[] = [
  ['lifecycle', 'timeZone'],
  ['reconcile', 'timeZone'],
];

/**
 * A zone of the right shape that Intl does not know (`Asia/Shangai`) passed the schema's pattern
 * and loaded: `lifecycle.timeZone` was refused only by the command that read it first, and
 * `reconcile.timeZone` failed inside the first report written, with no file or line. Refused here,
 * at its line, in the words every zone check uses (core/time-zone.ts). A value the schema refuses
 * already (not text, not the shape of a name) is the schema's to report.
 */
export function timeZoneProblems(
  tree: YamlTree,
  file: string,
  schemaErrorPaths: readonly string[],
): Problem[] {
  const problems: Problem[] = [];
  for (const segments of ZONE_FIELDS) {
    const [section, key] = segments;
    const zone = asRecord(asRecord(tree.data)?.[section])?.[key];
    const pointer = jsonPointer(segments);
    if (typeof zone !== 'string' || faultWithin(schemaErrorPaths, pointer) || tree.failedRefs.has(pointer))
      continue;
    const problem = timeZoneProblem(zone, `${section}.${key}`);
    if (problem !== undefined) problems.push(problemAtPath(tree, file, segments, problem));
  }
  return problems;
}
