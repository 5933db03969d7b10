/**
 * The `personal:` list checked against the columns the mapping reads (and the source's, when
 * known). Columns are matched by their names as the source writes them, case included: a list
 * naming `jycs` for a column `JYCS` masked nothing, and its values went into reasons, `preview`
 * and logs in clear, with nothing to say the list missed. A name that no rule reads and that
 * differs from a read column (or a source field) only in case is such a slip, refused at its item.
 */
import { problemAt, type YamlSource } from '../catalog/yaml-source.js';
import type { Problem } from '../core/errors.js';
import { sourceFieldCheck } from './rule-when.js';
import type { CompiledMapping } from './types.js';

/**
 * Pushes a problem for each `personal` item that names no column a rule reads but one in another
 * case (`did you mean`), and, with the source's columns known (`rowColumns`), for each naming
 * none of them. An item naming a column no rule reads is otherwise fine: a column kept out of the
 * license on purpose (an ID number not printed on it) is listed so its values stay masked.
 */
export function checkPersonalColumns(
  personal: readonly unknown[],
  read: ReadonlySet<string>,
  src: YamlSource,
  problems: Problem[],
  rowColumns?: ReadonlySet<string>,
): void {
  const known = [...read, ...(rowColumns ?? [])];
  const notInSource = sourceFieldCheck(rowColumns);
  personal.forEach((column, i) => {
    // A list item that is not text is refused as such (compile.ts).
    if (typeof column !== 'string' || read.has(column) || rowColumns?.has(column)) return;
    const same = known.find((c) => c.toUpperCase() === column.toUpperCase());
    const message =
      same !== undefined
        ? `column \`${column}\` is read by no rule, so nothing is masked by it; did you mean \`${same}\`? (columns are named as the source writes them, case included)`
        : notInSource?.(column);
    if (message) problems.push(problemAt(src, ['personal', i], `personal: ${message}`));
  });
}

/**
 * Whether a license field (`surface.premises`, a list item `surface.items.0.name`) may hold a
 * value read from a column listed as personal, for showing it (preview, a failing mapping test):
 * any rule of the field reading one counts, not only its first, whose column alone `origins`
 * names; a list field's rule path has `[]` where the license has an item's index. Which rule wrote
 * a row's value is not known here, so a field one personal rule feeds is masked whatever wrote it.
 */
export function fedByPersonalColumn(mapping: CompiledMapping): (path: string) => boolean {
  const listed = new Set(mapping.personalColumns);
  const fields = new Set(
    Object.entries(mapping.origins)
      .filter(([, o]) => o.personal !== undefined || o.column?.split(',').some((c) => listed.has(c)))
      .map(([path]) => path.replaceAll('[]', '')),
  );
  return (path) => fields.has(path.replace(/\.[0-9]+(?=\.|$)/g, ''));
}
