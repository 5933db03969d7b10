/**
 * Where in a catalog entry the surface schema problem ajv reports stands. ajv names the place in
 * its message, within the License schema that holds the entry's `surface` at `/properties/surface`
 * (license-schema.ts): the meta-schema's refusal as a data path
 * (`data/properties/surface/properties/x/minLength must be >= 0`), a keyword's bad value or an
 * unknown format as a schema path, URI-encoded (`at path "#/properties/surface/properties/x"`; strict
 * mode's `required property "c" is not defined at "#/properties/surface/properties/x"`).
 */
import { pointerToPath, type YamlPath } from './yaml-source.js';

// JSON Schema meta-schema errors: `data<pointer> must …`, several joined by `, `.
const META_ERROR = /\bdata(\/properties\/surface(?:\/[^,]*?)?) must\b/;
// `at path "#…"` in compile errors, `at "#…"` in strict mode's (strictRequired).
const AT_PATH = /\bat (?:path )?"#(\/properties\/surface(?:\/[^"]*)?)"/;
// The keyword under that schema path the message is about.
const BAD_KEYWORD = /\bkeyword "([^"]+)" value is invalid\b/;
const UNKNOWN_FORMAT = /^unknown format "/;
const STRICT_REQUIRED = /\(strictRequired\)$/;

/** Surface-relative path segments of a License schema pointer, `surface` first. */
function surfacePath(pointer: string): YamlPath {
  return ['surface', ...pointerToPath(pointer).slice(2)];
}

/**
 * The entry's YAML path (`surface`, `properties`, `x`, `minLength`) of the first place ajv's
 * compile error names, or undefined when it names none (strict mode's unknown keyword, a bad
 * regular expression, an unresolved `$ref`).
 */
export function surfaceSchemaPlace(message: string): YamlPath | undefined {
  const meta = META_ERROR.exec(message);
  if (meta?.[1] !== undefined) return surfacePath(meta[1]);
  const at = AT_PATH.exec(message);
  if (at?.[1] === undefined) return undefined;
  let pointer: string;
  try {
    // ajv writes a schema path as a URI fragment: each JSON pointer segment percent-encoded.
    pointer = decodeURIComponent(at[1]);
  } catch {
    return undefined;
  }
  const keyword =
    BAD_KEYWORD.exec(message)?.[1] ??
    (UNKNOWN_FORMAT.test(message) ? 'format' : STRICT_REQUIRED.test(message) ? 'required' : undefined);
  const path = surfacePath(pointer);
  return keyword === undefined ? path : [...path, keyword];
}
