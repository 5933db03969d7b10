/**
 * `config check --connect`: the `when` conditions of each pipeline's mapping against the fields its
 * source has. A condition naming a field the source lacks holds for no row as the mapping's author
 * meant it; it is located at the condition's `column:` in the mapping file, with the rule's path,
 * as the compiler locates an unknown transform. The fields come from the connector's column
 * listing (a SQL table's catalog, a query run to return no source row: connectors/sql/column-list.ts)
 * or, for export files, from their discovery, which reads the folder. No row is counted: a
 * database table's discovery would count its rows, which a check must not make a legacy system do.
 * A source listing its columns (SQL) also has each `from` and `template` column checked: one it
 * lacks would quarantine every row with LB_MAP_COLUMN. Export files are not: a later export may
 * carry an element today's do not (a row without it is LB_MAP_COLUMN unless the source's `fields`
 * names it, as connectors/xml-files/record-rows.ts reads it).
 */
import type { Config } from '../config/types.js';
import { sourceKind } from '../connectors/kinds.js';
import type { SourceConnector, StreamSpec } from '../connectors/source.js';
import { ConfigError, type Problem } from '../core/errors.js';
import { compileMapping } from '../mappings/compile.js';
import { UNKNOWN_SOURCE_FIELD } from '../mappings/rule.js';
import { withTimeout } from './observability/timeout.js';

/** The stream's fields, or null when they cannot be listed without reading rows. */
async function fieldsOf(
  kind: string | undefined,
  stream: StreamSpec,
  conn: SourceConnector,
): Promise<string[] | null> {
  if (conn.columns) return conn.columns(stream);
  if (kind === undefined || sourceKind(kind)?.shape !== 'export-files' || stream.query !== undefined)
    return null;
  const [table] = await conn.discover({ table: stream.table });
  return table?.columns.map((c) => c.name) ?? [];
}

export async function conditionFieldProblems(
  config: Config,
  source: string,
  conn: SourceConnector,
  timeoutMs?: number,
): Promise<Problem[]> {
  const kind = config.sources[source]?.kind;
  const out: Problem[] = [];
  for (const [name, pipeline] of Object.entries(config.pipelines)) {
    if (pipeline.source !== source) continue;
    let fields: string[] | null;
    try {
      const listed = fieldsOf(kind, pipeline.stream, conn);
      fields = await (timeoutMs ? withTimeout(listed, timeoutMs, `pipeline ${name}: fields`) : listed);
    } catch {
      continue; // the stream's own check reports a table, query or column that is not there
    }
    if (fields === null || fields.length === 0) continue; // an empty folder: nothing known yet
    try {
      const rowColumns = conn.columns ? { rowColumns: fields } : {};
      await compileMapping(pipeline.mapping, { sourceFields: fields, ...rowColumns });
    } catch (e) {
      // Other problems of the mapping are the file checks' to report, once.
      if (e instanceof ConfigError)
        out.push(...e.problems.filter((p) => p.message.includes(UNKNOWN_SOURCE_FIELD)));
    }
  }
  return out;
}
