/**
 * The demo catalog's food business license entry as the face template tests edit it: its file, its
 * text, and what the catalog says when it loads an edited copy.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { buildCatalog } from '../../catalog/catalog.js';
import { ConfigError } from '../../core/errors.js';
import { ROOT } from '../support/cli.js';

/** The food business license entry (examples/west-coast/catalog), face template and all. */
export const FOOD = join(ROOT, 'examples/west-coast/catalog/food-business-license.yaml');

/** The road transport demo's catalog, whose boxes of several lines have room below them. */
export const ROAD_CATALOG = join(ROOT, 'examples/west-coast/road-transport/catalog');

/** The food entry's text as it stands in the demo. */
export function foodEntry(): Promise<string> {
  return readFile(FOOD, 'utf8');
}

/**
 * The problems the catalog refuses `text` with when it loads it as the food entry's file, each as
 * `line: path: message` (`file:line: path: message` with `withFile`); none when it loads.
 */
export function problemsOf(text: string, { withFile = false } = {}): string[] {
  try {
    buildCatalog([{ file: FOOD, text }]);
    return [];
  } catch (e) {
    if (!(e instanceof ConfigError)) throw e;
    return e.problems.map((p) => `${withFile ? `${p.file}:` : ''}${p.line}: ${p.path}: ${p.message}`);
  }
}

/** The 1-based line of `text` that first holds `needle` (0 when none does). */
export function lineOf(text: string, needle: string): number {
  return text.split('\n').findIndex((l) => l.includes(needle)) + 1;
}
