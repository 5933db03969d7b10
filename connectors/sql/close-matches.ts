/**
 * "Did you mean" for table and column names. Legacy schemas are pinyin abbreviations
 * (`T_SPXK_XKZ`, `GXSJ`), where a one-letter typo is easy to make and hard to see.
 */

/** Levenshtein distance, case-insensitive (legacy identifiers mix case freely). */
export function editDistance(a: string, b: string): number {
  const s = a.toUpperCase();
  const t = b.toUpperCase();
  let previous = Array.from({ length: t.length + 1 }, (_, j) => j);
  for (let i = 1; i <= s.length; i++) {
    const current = [i];
    for (let j = 1; j <= t.length; j++) {
      const cost = s[i - 1] === t[j - 1] ? 0 : 1;
      current[j] = Math.min((previous[j] ?? 0) + 1, (current[j - 1] ?? 0) + 1, (previous[j - 1] ?? 0) + cost);
    }
    previous = current;
  }
  return previous[t.length] ?? 0;
}

/**
 * The candidates closest to `wanted`, best first: within an edit distance of a third of the
 * longer name (at least 2), or containing / contained in it (`XKZ` for `T_SPXK_XKZ`).
 */
export function closeMatches(wanted: string, candidates: readonly string[], limit = 3): string[] {
  const w = wanted.toUpperCase();
  const scored: { name: string; score: number }[] = [];
  for (const name of candidates) {
    const n = name.toUpperCase();
    const distance = editDistance(w, n);
    const allowed = Math.max(2, Math.floor(Math.max(w.length, n.length) / 3));
    const contains = w.length >= 3 && n.length >= 3 && (n.includes(w) || w.includes(n));
    if (distance <= allowed || contains)
      scored.push({ name, score: contains ? Math.min(distance, 1) : distance });
  }
  scored.sort((a, b) => a.score - b.score || a.name.localeCompare(b.name));
  return scored.slice(0, limit).map((s) => s.name);
}

/** ``did you mean `A` or `B`?`` — or a short listing of what exists when nothing is close. */
export function suggestion(wanted: string, candidates: readonly string[], what: string): string {
  const close = closeMatches(wanted, candidates);
  if (close.length > 0) return `did you mean ${close.map((c) => `\`${c}\``).join(' or ')}?`;
  if (candidates.length === 0) return `there are no ${what}`;
  const shown = candidates.slice(0, 10).map((c) => `\`${c}\``);
  const more = candidates.length > 10 ? `, … (${candidates.length} in all)` : '';
  return `existing ${what}: ${shown.join(', ')}${more}`;
}
