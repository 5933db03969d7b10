import { createRequire } from 'node:module';
import type { Problem } from '../core/errors.js';
import { DEFAULT_TIME_ZONE, isTimeZone } from '../core/local-date.js';
import { asRecord, faultWithin, jsonPointer, problemAtPath, type YamlTree } from './yaml-tree.js';

type CronParser = typeof import('cron-parser');

/**
 * cron-parser, loaded the first time a file writes a schedule: the package and its date library
 * cost a command some 25 ms of CPU to load, and a config with no schedule of its own (the
 * defaults are known good) needs none of it. It is the reader BullMQ installs schedules with.
 */
let parser: CronParser | undefined;
const cronParser = (): CronParser => {
  parser ??= createRequire(import.meta.url)('cron-parser') as CronParser;
  return parser;
};

/**
 * A cron expression the schema's shape (five or six fields) lets through can name no time at all:
 * `0 0 31 4 *` (April 31st), `61 2 * * *`, `a b c d e`. It loaded, `config check` said ok, `run`
 * and `worker` ran and `status` read the pipeline as unscheduled; only `licbridge schedule` refused
 * it, without a line (pipelines/schedules.ts checkPatterns). Refused here, at its line, read as
 * `licbridge schedule` reads it: in `lifecycle.timeZone`, the next time it names. A value from a
 * reference is named by the reference; the parser's words would quote a piece of it.
 */
export function cronProblems(tree: YamlTree, file: string, schemaErrorPaths: readonly string[]): Problem[] {
  const root = asRecord(tree.data);
  const fields: (string | number)[][] = [
    ['reconcile', 'schedule'],
    ['lifecycle', 'schedule'],
  ];
  for (const name of Object.keys(asRecord(root?.pipelines) ?? {}))
    fields.push(['pipelines', name, 'schedule']);
  const zone = asRecord(root?.lifecycle)?.timeZone;
  // A zone Intl does not know is timeZoneProblems' to report; the expression is read in the default.
  const tz = typeof zone === 'string' && isTimeZone(zone) ? zone : DEFAULT_TIME_ZONE;
  const problems: Problem[] = [];
  for (const segments of fields) {
    let value: unknown = root;
    for (const s of segments) value = asRecord(value)?.[s];
    const pointer = jsonPointer(segments);
    const node = tree.nodes.get(pointer);
    // No node: a default the validator filled in, known to name a time.
    if (typeof value !== 'string' || node === undefined) continue;
    if (faultWithin(schemaErrorPaths, pointer) || tree.failedRefs.has(pointer)) continue;
    const why = cronExpressionError(value, tz);
    if (why === undefined) continue;
    const ref = node.ref;
    const got = ref === undefined ? `\`${value}\`: ${why}` : `a string from \`${ref}\`, which names none`;
    problems.push(
      problemAtPath(
        tree,
        file,
        segments,
        `expected a cron expression that names a time to run at, got ${got}`,
      ),
    );
  }
  return problems;
}

/**
 * Why cron-parser, as BullMQ calls it, refuses `pattern` read in zone `tz`; undefined when it names
 * a time. The one rule: the loader's check above and `licbridge schedule`'s (pipelines/schedules.ts
 * checkPatterns) both read an expression with it, so they cannot disagree on which names a time.
 */
export function cronExpressionError(pattern: string, tz: string): string | undefined {
  try {
    cronParser().CronExpressionParser.parse(pattern, { tz }).next();
    return undefined;
  } catch (e) {
    return e instanceof Error ? e.message : String(e);
  }
}
