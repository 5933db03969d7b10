/**
 * Some of the YAML parser's error messages quote the text they stopped at, and in a config that
 * text may be a secret: `password: |Gx9…` ("Block scalar header includes extra characters:
 * |Gx9…"), `"Gx9\xZZ"` ("Invalid escape sequence \xZZ"), and every token of a file the parser
 * could not place in its document ("Unexpected scalar token in YAML stream: "Gx9…"", once for
 * each token of the rest of the file). The same problem is said here without the text.
 */

/** `Unexpected scalar token in YAML stream: "…"`: a token after the document's end, and its text. */
const OUTSIDE_DOCUMENT = /^Unexpected ([\w-]+) token in YAML (?:stream|document)(?::|$)/;

/** The parser's message for one error with any text of the file taken out; undefined: unchanged. */
function withoutText(message: string): string | undefined {
  if (message.startsWith('Block scalar header includes extra characters'))
    return 'a value starting with `|` or `>` is read as a block scalar, and this one has text after its indicator (not shown); quote the value';
  if (message.startsWith('Invalid escape sequence'))
    return "a double-quoted value holds a backslash that starts no escape YAML knows (not shown); write a backslash as `\\\\`, or quote the value with '…' instead, where a backslash is itself";
  if (message.startsWith('Not a YAML token')) return 'text that is not a YAML token (not shown)';
  return undefined;
}

/**
 * The messages of a file's parse errors, in order, each without the file's text; the tokens after
 * the document's end are said once, at the first, with how many followed it. `undefined` marks an
 * error to leave out.
 */
export function yamlErrorTexts(messages: readonly string[]): (string | undefined)[] {
  const outside = messages.filter((m) => OUTSIDE_DOCUMENT.test(m)).length;
  let saidOutside = false;
  return messages.map((message) => {
    const token = OUTSIDE_DOCUMENT.exec(message)?.[1];
    if (token === undefined) return withoutText(message) ?? message;
    if (saidOutside) return undefined;
    saidOutside = true;
    const more = outside - 1;
    return `unexpected ${token} after the end of the document (not shown): the lines before it are probably indented otherwise than meant, or the file mixes a list and a mapping at one level${more > 0 ? `; ${more} more such token${more === 1 ? '' : 's'} after it not listed` : ''}`;
  });
}
