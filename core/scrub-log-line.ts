/**
 * Secrets hidden in a serialized log line, the line kept one JSON object. The rules of
 * ./credential-words.ts read free text and cannot tell a JSON string's closing quote from a value's
 * opening one (`"v":"Please enter\npassword:"` took the field's closing quote for a printed key's),
 * so a line they change is parsed again; one that no longer parses, or parses to no object, is
 * hidden string by string instead — each key and each value of the line pino wrote, apart, in the
 * same order — where no rule reads across a string's end. Lines the rules leave as they were, most
 * lines, pay no parse.
 */

import { scrubSecrets } from './scrub.js';

/** `line` (one JSON object, as pino writes it) with every secret hidden, still one JSON object. */
export function scrubLogLine(line: string): string {
  const hidden = scrubSecrets(line);
  if (hidden === line || isJsonObject(hidden)) return hidden;
  let entry: unknown;
  try {
    entry = JSON.parse(line);
  } catch {
    // Not a line pino wrote (a test's stream, a hook's own text): the free-text rule's word stands.
    return hidden;
  }
  const eol = line.endsWith('\n') ? '\n' : '';
  return JSON.stringify(hideEach(entry)) + eol;
}

function isJsonObject(text: string): boolean {
  try {
    const value: unknown = JSON.parse(text);
    return typeof value === 'object' && value !== null && !Array.isArray(value);
  } catch {
    return false;
  }
}

/** `value` with every string in it, keys too, hidden on its own. */
function hideEach(value: unknown): unknown {
  if (typeof value === 'string') return scrubSecrets(value);
  if (Array.isArray(value)) return value.map(hideEach);
  if (typeof value !== 'object' || value === null) return value;
  const out: Record<string, unknown> = {};
  for (const [key, v] of Object.entries(value)) out[scrubSecrets(key)] = hideEach(v);
  return out;
}
