/**
 * Why a mapping test's field took another rule: a `when` compares codes as written, so a code typed
 * full-width (as Chinese input mode types it) does not equal the half-width code a condition lists,
 * and the row takes the next rule without a reason (docs/mapping-language.md, `when`). A test case
 * expecting the rule for that code says only that the field differs; this says which rule's `when`
 * would hold. Never the value: a test's output goes to CI logs.
 */
import type { MapEnv } from './condition.js';
import { toHalfWidth } from './step.js';
import type { CompiledMapping, InputValue, MapResult } from './types.js';

/** The `file:line` of the rule that wrote `path`, or undefined when none did. */
function writerOf(result: MapResult, mapping: CompiledMapping, path: string): string | undefined {
  const later = result.writers?.[path];
  if (later !== undefined) return later.location;
  if (!result.ok || !mapping.fields.includes(path)) return undefined;
  // No later rule: the first one wrote it, when the field is in the draft.
  let node: unknown = result.fields;
  for (const name of path.split('.')) {
    if (node === null || typeof node !== 'object' || !Object.hasOwn(node, name)) return undefined;
    node = (node as Record<string, unknown>)[name];
  }
  return mapping.origins[path]?.location;
}

/**
 * For each of `paths` (fields a case found other than expected): a line naming the rule whose `when`
 * holds for the row's text values in half-width form, where that is another rule than the one that
 * wrote the field as the row is. Only the rule chosen is compared, not the value written.
 */
export function fullWidthConditionHints(
  mapping: CompiledMapping,
  values: Readonly<Record<string, InputValue>>,
  env: MapEnv,
  paths: readonly string[],
): string[] {
  const half: Record<string, InputValue> = {};
  let differs = false;
  for (const [column, value] of Object.entries(values)) {
    const text = typeof value === 'string' ? toHalfWidth(value) : value;
    if (text !== value) differs = true;
    half[column] = text;
  }
  if (!differs) return [];
  const asIs = mapping.map(values, env);
  const asHalf = mapping.map(half, env);
  const hints: string[] = [];
  for (const path of paths) {
    if (!mapping.fields.includes(path)) continue;
    const wrote = writerOf(asIs, mapping, path);
    const would = writerOf(asHalf, mapping, path);
    if (would === undefined || would === wrote) continue;
    hints.push(
      `  ${path}: the \`when\` of the rule at ${would} holds for this row's codes written half-width, not as they are (full-width, as Chinese input mode types them): a condition compares codes as written; list both forms in \`in\`, or match them (docs/mapping-language.md, \`when\`)`,
    );
  }
  return hints;
}
