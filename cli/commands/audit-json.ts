/**
 * A JSON Lines line of the audit commands (`audit show --json`, `audit config --json`, and the one
 * line of `audit verify --json`): the value as
 * `terminalJson` writes it (C1, DEL and bidi controls as escapes), and the line and paragraph
 * separators U+2028 and U+2029 as `\u2028` and `\u2029`. JSON.stringify writes those as they are,
 * and a reader that splits lines as Unicode does (Python's `splitlines`, many editors) cut an entry
 * whose actor an earlier release stored with one into two halves, neither JSON; `audit export`
 * writes its lines the same way. The values parse back as the chain holds them.
 */
import { terminalJson } from '../../core/terminal-text.js';

export function auditJsonLine(value: unknown): string {
  return terminalJson(value).replace(/[\u2028\u2029]/g, (ch) => `\\u${ch.charCodeAt(0).toString(16)}`);
}
