import type { Problem } from '../core/errors.js';
import { NAME_PATTERN } from './schema/builders.js';
import { asRecord, dottedPath, jsonPointer, type YamlTree } from './yaml-tree.js';

/**
 * `constructor` fits the name pattern, but every object in the program has it: a map keyed by
 * pipeline or target names that code builds as it runs (a run's summary, counts by pipeline)
 * would find the inherited function under it before any entry of its own. Refused as a name in
 * every section keyed by names, so no such name reaches that code. (`__proto__`, `toString` and
 * the other inherited names already fail the pattern.)
 */

const SECTIONS = ['sources', 'pipelines', 'signers', 'trust', 'seals', 'targets'] as const;
const NAME = new RegExp(NAME_PATTERN, 'u');

export function inheritedNameProblems(tree: YamlTree, file: string): Problem[] {
  const root = asRecord(tree.data);
  if (!root) return [];
  const problems: Problem[] = [];
  for (const section of SECTIONS) {
    for (const name of Object.keys(asRecord(root[section]) ?? {})) {
      if (!Object.hasOwn(Object.prototype, name) || !NAME.test(name)) continue;
      const segments = [section, name];
      const node = tree.nodes.get(jsonPointer(segments));
      const at = node?.key ?? node?.value;
      problems.push({
        file,
        line: at?.line ?? 1,
        column: at?.column ?? 1,
        path: dottedPath(segments),
        message: `\`${name}\` is not a valid name: every object has a \`${name}\`, so it cannot tell this entry apart; choose another name`,
      });
    }
  }
  return problems;
}
