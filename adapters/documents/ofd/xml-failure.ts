/**
 * An XML part of an OFD file that does not parse, told without its text. The parser quotes up to
 * a hundred characters around an unclosed tag, and OFD.xml's DocInfo holds the license's title:
 * `verify` prints a file's problems and stores them in its report. Only the part's path, the
 * parser's position and a message that is a fixed sentence ("Closing Tag is not closed.") are kept.
 */

// A fixed sentence, quoting nothing of the part: tag names and values come after a `:` or in quotes.
const FIXED_SENTENCE = /^[A-Za-z][A-Za-z ,.'-]*$/;

/** The error to throw for `e`, what the parser threw for the part at `path`. */
export function xmlPartError(path: string, e: unknown): Error {
  const message = e instanceof Error ? e.message.trim() : '';
  const position = /\bat position (\d+)\b/.exec(message)?.[1];
  if (position !== undefined)
    return new Error(`${path} is not well-formed XML: the parser stops at position ${position}`);
  return new Error(`${path} is not well-formed XML${FIXED_SENTENCE.test(message) ? ` (${message})` : ''}`);
}
