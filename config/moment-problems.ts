import type { Problem } from '../core/errors.js';
import { isCalendarTime } from '../core/local-date.js';
import { jsonPointer, problemAtPath, type YamlTree } from './yaml-tree.js';

const ISO_PARTS = /^([0-9]{4})-([0-9]{2})-([0-9]{2})T([0-9]{2}):([0-9]{2})(?::([0-9]{2}))?/;

/**
 * Whether an ISO time the schema's pattern admitted names a moment of the calendar: `Date` rolls
 * 30 February forward to 2 March and hour 24 to the next day, so a seal revoked "since
 * 2026-02-30" would count as revoked two days late.
 */
export function isCalendarMoment(text: string): boolean {
  const m = ISO_PARTS.exec(text);
  return m !== null && isCalendarTime(m.slice(1).map((v) => (v === undefined ? 0 : Number(v))));
}

/** `seals.<name>.since` that matches the ISO pattern but names no moment (30 February, 24:00). */
export function momentProblems(tree: YamlTree, file: string): Problem[] {
  const seals = (tree.data as { seals?: unknown } | null)?.seals;
  if (seals === null || typeof seals !== 'object') return [];
  const problems: Problem[] = [];
  for (const [name, seal] of Object.entries(seals as Record<string, unknown>)) {
    const since = (seal as { since?: unknown } | null)?.since;
    // Not a string, or not ISO-shaped: the schema's to report.
    if (typeof since !== 'string' || !ISO_PARTS.test(since) || isCalendarMoment(since)) continue;
    const segments = ['seals', name, 'since'];
    const ref = tree.nodes.get(jsonPointer(segments))?.ref;
    const got = ref === undefined ? `\`${since}\`` : `a value from \`${ref}\``;
    problems.push(
      problemAtPath(
        tree,
        file,
        segments,
        `expected a moment of the calendar, got ${got}: no such day or time`,
      ),
    );
  }
  return problems;
}
