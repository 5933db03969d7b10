/**
 * `config check --connect`: the `when` conditions of each pipeline's mapping against the fields its
 * source has. A condition naming a field the source lacks holds for no row as the mapping's author
 * meant it; it is located at the condition's `column:` in the mapping file, with the rule's path,
 * as the compiler locates an unknown transform. Only sources whose field list costs no database
 * work are asked — export files, whose discovery reads the folder; a database table's discovery
 * counts its rows, which a check must not make a legacy system do.
 */
import type { Config } from '../config/types.js';
import { sourceKind } from '../connectors/kinds.js';
import type { SourceConnector } from '../connectors/source.js';
import { ConfigError, type Problem } from '../core/errors.js';
import { compileMapping } from '../mappings/compile.js';
import { UNKNOWN_SOURCE_FIELD } from '../mappings/rule.js';

export async function conditionFieldProblems(
  config: Config,
  source: string,
  conn: SourceConnector,
): Promise<Problem[]> {
  const kind = config.sources[source]?.kind;
  if (kind === undefined || sourceKind(kind)?.shape !== 'export-files') return [];
  const out: Problem[] = [];
  for (const pipeline of Object.values(config.pipelines)) {
    if (pipeline.source !== source || pipeline.stream.query !== undefined) continue;
    let fields: string[];
    try {
      const [table] = await conn.discover({ table: pipeline.stream.table });
      fields = table?.columns.map((c) => c.name) ?? [];
    } catch {
      continue; // the stream's own check reports a table that is not there
    }
    if (fields.length === 0) continue; // an empty folder: nothing known yet
    try {
      await compileMapping(pipeline.mapping, { sourceFields: fields });
    } catch (e) {
      // Other problems of the mapping are the file checks' to report, once.
      if (e instanceof ConfigError)
        out.push(...e.problems.filter((p) => p.message.includes(UNKNOWN_SOURCE_FIELD)));
    }
  }
  return out;
}
