import type { Problem } from '../core/errors.js';
import { asRecord, jsonPointer, problemAtPath, type YamlTree } from './yaml-tree.js';

/**
 * The files and folders the config names, each relative to the config file's folder (loader.ts
 * `resolvePaths`, and the readers of `licenseFiles.store` and a front database's `path`): `*` is
 * any name of its section. `connection.libDir` has its own words (lib-dir-problems.ts).
 */
const PATH_FIELDS: readonly (readonly string[])[] = [
  ['catalog'],
  ['sources', '*', 'path'],
  ['pipelines', '*', 'mapping'],
  ['signers', '*', 'certificate'],
  ['trust', '*', 'file'],
  ['seals', '*', 'file'],
  ['targets', '*', 'path'],
  ['licenseFiles', 'store'],
];

/**
 * A path starting with `~` (`catalog: ~/licbridge/catalog`): a shell expands it, licbridge does
 * not, and a relative path is the config file's folder's, so it named `<config folder>/~/…`, a
 * folder no one made, and the command that opened it failed later. Expanding it instead would
 * name the home of whoever runs licbridge (a service's user, not the person who ran `config
 * check`), so it is refused at its line, as `connection.libDir` is. A SQLite ledger URL
 * (`sqlite://~/ledger.db`) likewise; a `${file:~/…}` reference is refused where it is resolved
 * (refs.ts).
 */
export function tildePathProblems(tree: YamlTree, file: string): Problem[] {
  const problems: Problem[] = [];
  const check = (segments: readonly string[], value: unknown, prefix = ''): void => {
    if (typeof value !== 'string' || !value.startsWith(`${prefix}~`)) return;
    if (tree.failedRefs.has(jsonPointer(segments))) return;
    const ref = tree.nodes.get(jsonPointer(segments))?.ref;
    const from = ref === undefined ? '' : ` (the value of \`${ref}\`)`;
    problems.push(
      problemAtPath(
        tree,
        file,
        segments,
        `\`~\` is not expanded${from}: a relative path is this file's folder's, so it would name a folder \`~\` there; write the absolute path, or one relative to this file`,
      ),
    );
  };
  for (const field of PATH_FIELDS) {
    for (const segments of expand(tree.data, field)) check(segments, valueAt(tree.data, segments));
  }
  check(['ledger', 'url'], asRecord(asRecord(tree.data)?.ledger)?.url, 'sqlite://');
  return problems;
}

/** The paths `field` names in `data`, each `*` replaced by every key of its section. */
function expand(data: unknown, field: readonly string[]): string[][] {
  let found: string[][] = [[]];
  for (const segment of field) {
    found = found.flatMap((segments) => {
      if (segment !== '*') return [[...segments, segment]];
      return Object.keys(asRecord(valueAt(data, segments)) ?? {}).map((name) => [...segments, name]);
    });
  }
  return found;
}

function valueAt(data: unknown, segments: readonly string[]): unknown {
  let value = data;
  for (const s of segments) value = asRecord(value)?.[s];
  return value;
}
