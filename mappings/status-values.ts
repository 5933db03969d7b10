/**
 * The `status` field must land on the canonical enum (catalog/license.ts LICENSE_STATUSES); each
 * platform maps that enum onto its own code list in config. Every value the rule can write
 * without reading a row — const, lookup values, fallback, default — is checked at compile time,
 * so a typo (`vaild`) is a file:line error, not thousands of quarantined rows.
 */
import { isMap } from 'yaml';
import { LICENSE_STATUSES } from '../catalog/license.js';
import { problemAt, type YamlSource } from '../catalog/yaml-source.js';
import type { Problem } from '../core/errors.js';
import { asWritten, parsedKey, yamlNodeAt } from './as-written.js';
import type { Dictionary } from './dictionaries.js';

const STATUSES: ReadonlySet<unknown> = new Set(LICENSE_STATUSES);

export function checkStatusValues(
  raw: Record<string, unknown>,
  table: Dictionary | undefined,
  at: readonly (string | number)[],
  src: YamlSource,
  problems: Problem[],
): void {
  const expected = `expected one of ${LICENSE_STATUSES.join(', ')}`;
  for (const key of ['const', 'fallback', 'default'] as const) {
    if (key in raw && raw[key] !== null && !STATUSES.has(raw[key])) {
      problems.push(
        problemAt(src, [...at, key], `status \`${String(raw[key])}\` is not canonical; ${expected}`),
      );
    }
  }
  if (!table) return;
  // A code is its text as written (`01`), the YAML key its parsed value (1): find the key's line by it.
  const node = yamlNodeAt(src, [...at, 'lookup']);
  const keyOf = (code: string): string => {
    const pair = isMap(node)
      ? node.items.find((p) => String(asWritten(p.key, parsedKey(p.key))) === code)
      : undefined;
    return pair ? parsedKey(pair.key) : code;
  };
  for (const [code, value] of table) {
    if (value !== null && !STATUSES.has(value)) {
      // An inline table points at its code; a named dictionary at the lookup line.
      const where = typeof raw.lookup === 'string' ? [...at, 'lookup'] : [...at, 'lookup', keyOf(code)];
      problems.push(
        problemAt(
          src,
          where,
          `code \`${code}\` maps to status \`${String(value)}\`, not canonical; ${expected}`,
        ),
      );
    }
  }
}
