import type { Problem } from '../core/errors.js';
import { asRecord, problemAtPath, type YamlTree } from './yaml-tree.js';

/**
 * `stream` settings only a database source reads. The stream's schema is one for every kind of
 * source, so a pipeline reading a folder of XML exports took them and the read ignored them: a
 * `query` that narrows the rows read narrowed nothing. Each is a config problem at its key.
 */
const DATABASE_ONLY = {
  query: 'the rows read are the records under the source’s `recordPath`',
  params: 'they bind a `query`’s placeholders',
  lagMs: 'an export file is whole once written: no commit is waited out',
  keyUnique: 'each key’s latest record is told from the files themselves',
} as const;

export function streamKindProblems(tree: YamlTree, file: string): Problem[] {
  const root = asRecord(tree.data);
  if (!root) return [];
  const sources = asRecord(root.sources) ?? {};
  const problems: Problem[] = [];
  for (const [name, value] of Object.entries(asRecord(root.pipelines) ?? {})) {
    const pipeline = asRecord(value);
    const source = typeof pipeline?.source === 'string' ? pipeline.source : undefined;
    // An unknown source is the cross-references' to report.
    if (!source || asRecord(sources[source])?.kind !== 'xml-files') continue;
    const stream = asRecord(pipeline?.stream) ?? {};
    for (const [key, why] of Object.entries(DATABASE_ONLY)) {
      if (!(key in stream)) continue;
      problems.push(
        problemAtPath(
          tree,
          file,
          ['pipelines', name, 'stream', key],
          `\`stream.${key}\` applies to database sources only; source ${source} is an xml-files source, which does not take it (${why}): remove it`,
        ),
      );
    }
  }
  return problems;
}
