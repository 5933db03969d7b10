/**
 * JSON text that does not parse, told without the text. V8's SyntaxError quotes the text around
 * where it fails (`Unexpected token '欧', ..."name":欧阳秀英}" is not valid JSON`), and an error
 * travels further than its message: a wrapping error keeps it as its `cause`, which pino writes
 * into a log line, and a job's failure goes to Redis. A license's payload, its lineage (a source
 * key can be an ID number) or a simulator's stored licenses would go with it. Only the parser's
 * position and the text's length are kept.
 */

/**
 * A SyntaxError naming where a JSON text of `length` characters fails, built from `e` (what
 * `JSON.parse` threw) without any of the text: its message, its stack and no cause.
 */
export function jsonSyntaxError(e: unknown, length: number): SyntaxError {
  const message = e instanceof Error ? e.message : '';
  // V8 names a position for most failures ("… in JSON at position 52"), but quotes the text
  // instead for an unexpected token: the token itself may be a character of a name.
  const position = /\bat position (\d+)\b/.exec(message)?.[1];
  const where =
    position !== undefined
      ? `fails at position ${position}`
      : /^Unexpected end of JSON input/.test(message)
        ? 'ends early'
        : 'holds an unexpected character';
  return new SyntaxError(`JSON text of ${length} characters ${where}`);
}

/** `JSON.parse(text)`, whose failure is a {@link jsonSyntaxError}: it quotes none of the text. */
export function parseJsonText(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch (e) {
    throw jsonSyntaxError(e, text.length);
  }
}
