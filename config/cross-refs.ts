import type { Problem } from '../core/errors.js';
import { didYouMean, listWords } from './suggest.js';
import { asRecord, dottedPath, jsonPointer, problemAtPath, type YamlTree } from './yaml-tree.js';

/**
 * A pipeline names its source, signer and targets; a name that is defined nowhere would only
 * fail at run time, on the first page, so it is a config problem here.
 */

const LINKS = [
  { field: 'source', section: 'sources', noun: 'source' },
  { field: 'signer', section: 'signers', noun: 'signer' },
  { field: 'targets', section: 'targets', noun: 'target' },
] as const;

export function crossReferenceProblems(tree: YamlTree, file: string): Problem[] {
  const root = asRecord(tree.data);
  if (!root) return [];
  const problems: Problem[] = [];
  for (const [name, value] of Object.entries(asRecord(root.pipelines) ?? {})) {
    const pipeline = asRecord(value);
    if (!pipeline) continue;
    for (const link of LINKS) {
      const defined = Object.keys(asRecord(root[link.section]) ?? {});
      const field = pipeline[link.field];
      const refs: [unknown, (string | number)[]][] = Array.isArray(field)
        ? field.map((v, i) => [v, ['pipelines', name, link.field, i]])
        : [[field, ['pipelines', name, link.field]]];
      for (const [target, segments] of refs) {
        // Non-strings are the schema's to report.
        if (typeof target !== 'string' || defined.includes(target)) continue;
        const node = tree.nodes.get(jsonPointer(segments));
        const shown = node?.ref === undefined ? `\`${target}\`` : `(from \`${node.ref}\`)`;
        const known =
          defined.length === 0
            ? `no ${link.section} are defined`
            : `defined ${link.section}: ${listWords(defined, 'and')}`;
        const hint = node?.ref === undefined ? didYouMean(target, defined) : '';
        problems.push({
          file,
          line: node?.value.line ?? 1,
          column: node?.value.column ?? 1,
          path: dottedPath(segments),
          message: `unknown ${link.noun} ${shown}; ${known}${hint}`,
        });
      }
    }
  }
  problems.push(...fileStoreProblems(tree, file, root));
  return problems;
}

/**
 * A target that sends license files reads them from `licenseFiles.store`: without one, every
 * version with a file would be a dead letter at delivery, so it is a config problem here.
 */
function fileStoreProblems(tree: YamlTree, file: string, root: Record<string, unknown>): Problem[] {
  if (asRecord(root.licenseFiles)?.store !== undefined) return [];
  const problems: Problem[] = [];
  for (const [name, value] of Object.entries(asRecord(root.targets) ?? {})) {
    const send = asRecord(asRecord(value)?.licenseFiles)?.send;
    if (send === undefined || send === 'off') continue;
    problems.push(
      problemAtPath(
        tree,
        file,
        ['targets', name, 'licenseFiles', 'send'],
        `target ${name} sends license files (\`send: ${String(send)}\`), but \`licenseFiles.store\` is not set: name the file store \`sign files\` issues into`,
      ),
    );
  }
  return problems;
}
