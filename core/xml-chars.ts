import { LONE_SURROGATE } from './lone-surrogate.js';

/**
 * A character XML 1.0 (§2.2 Char) allows nowhere, not even as a reference: the C0 controls but
 * tab, LF and CR, U+FFFE and U+FFFF, and a surrogate half without its partner (UTF-8 has no bytes
 * for it: written, it becomes U+FFFD). A reader refuses the whole document over one. In one
 * pattern, not a pass each: a control removed from between two halves would pair them. Not global.
 */
export const NOT_XML_CHAR = new RegExp(
  // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what is looked for
  `${/[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/.source}|${LONE_SURROGATE.source}`,
);
