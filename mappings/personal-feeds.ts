/**
 * Columns read into a personal field (holder.id, holder.name, contact.*, a legal representative's
 * surface field …) count as personal in every rule reading them, not only in the rule writing that
 * field: a `holderIdType` rule or a lookup reading the holder's id column would otherwise show a
 * mistyped ID number (no real birth date, a digit missing: no ID shape to mask it by) in clear.
 */

/** A rule as far as its columns and the personal field it writes go. */
interface FeedingRule {
  /** The column read, or a template's columns joined by `,`. */
  readonly column?: string;
  /** The field written is personal by its path, not by a listed column. */
  readonly personalPath: boolean;
}

/** Column → the first personal field it feeds, in the mapping's order. */
export function personalFeeds(
  fields: readonly { readonly plain: string; readonly rules: readonly FeedingRule[] }[],
  into: Map<string, string>,
): void {
  for (const f of fields)
    for (const r of f.rules)
      if (r.personalPath && r.column !== undefined)
        for (const c of r.column.split(',')) if (!into.has(c)) into.set(c, f.plain);
}

/** The personal field one of a reason's columns (joined by `,`) feeds, if any. */
export function feedOf(feeds: ReadonlyMap<string, string> | undefined, columns: string | undefined) {
  if (columns === undefined || feeds === undefined || feeds.size === 0) return undefined;
  for (const c of columns.split(',')) {
    const feed = feeds.get(c);
    if (feed !== undefined) return feed;
  }
  return undefined;
}

/** The personal field the first of `rules` reading a column that feeds one feeds, if any. */
export function personalFeed(
  rules: readonly FeedingRule[],
  feeds: ReadonlyMap<string, string>,
): string | undefined {
  for (const r of rules) {
    const feed = feedOf(feeds, r.column);
    if (feed !== undefined) return feed;
  }
  return undefined;
}
