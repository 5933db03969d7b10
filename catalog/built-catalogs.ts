/**
 * Catalogs built in this process, kept by exactly the files they were built from: every entry
 * file's path and text. A process loads the same catalog folder again and again (each run's
 * runtime, a scheduler's every tick, a reconcile); a built catalog is a pure function of those
 * files (its entries frozen, its validators compiled once: ./validator-cache.ts), so the same
 * files may reuse it. A file added, removed, renamed or changed by one byte builds again, and a
 * build that fails keeps nothing, so a bad catalog fails the same way every time.
 */
import { RecentMap } from '../core/recent-map.js';
import type { Catalog, CatalogSource } from './catalog.js';

/**
 * At most this many catalogs are kept (least recently used goes first): a long-running process
 * that reloads an edited catalog must not hold every version it ever built.
 */
export const CACHED_CATALOGS = 8;

const built = new RecentMap<string, Catalog>(CACHED_CATALOGS);

/** The catalog built from `sources`: from an earlier build of the same files, or from `build`, then kept. */
export function builtCatalog(sources: readonly CatalogSource[], build: () => Catalog): Catalog {
  const key = JSON.stringify(sources.map((s) => [s.file, s.text]));
  const hit = built.get(key);
  if (hit) return hit;
  const catalog = build();
  built.set(key, catalog);
  return catalog;
}
