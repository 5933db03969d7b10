import type { Problem } from '../core/errors.js';
import { asRecord, problemAtPath, type YamlTree } from './yaml-tree.js';

/**
 * A `connection.libDir` (Oracle Instant Client, thick mode) starting with `~`, of a source or a
 * front database. A shell expands `~/instantclient`; licbridge resolves a relative folder against
 * the config file's (loader.ts `resolvePaths`), so it named `<config folder>/~/instantclient`, a
 * folder no one made, and the client was not found when the first Oracle connection opened.
 * Expanding it instead would name the home of whoever runs licbridge — a service's user, not the
 * person who ran `config check` — so it is refused at its line. The value is not quoted.
 */
export function libDirProblems(tree: YamlTree, file: string): Problem[] {
  const problems: Problem[] = [];
  const data = asRecord(tree.data);
  for (const section of ['sources', 'targets'] as const) {
    for (const [name, value] of Object.entries(asRecord(data?.[section]) ?? {})) {
      const libDir = asRecord(asRecord(value)?.connection)?.libDir;
      if (typeof libDir !== 'string' || !libDir.startsWith('~')) continue;
      problems.push(
        problemAtPath(
          tree,
          file,
          [section, name, 'connection', 'libDir'],
          "`~` is not expanded: a relative folder is this file's folder's, so it would name a folder `~` there; write the Instant Client folder's absolute path (`/opt/oracle/instantclient_19_8`), or one relative to this file",
        ),
      );
    }
  }
  return problems;
}
