/**
 * A value as the HTML pages licbridge writes (the reconcile report, the quarantine worklist) show
 * it: as text in an element or a quoted attribute value. The five characters markup reads are
 * written as character references. Format characters (Unicode Cf: bidi embeddings, overrides and
 * isolates, zero-width spaces and joiners, the byte order mark) and control characters show as
 * nothing in a browser, and a bidi override turns around what follows it up to the end of the line,
 * past its own value (Trojan Source, CVE-2021-42574): each is written as its code point,
 * `<U+202E>`, as licbridge's messages name them (core/invisible-text.ts). Tabs and line breaks
 * stay: markup reads them as spaces.
 */
import { codePoint } from '../../core/invisible-text.js';

const SHOWN = /[&<>"']|(?![\t\n\r])[\p{Cc}\p{Cf}]/gu;

export function htmlText(value: unknown): string {
  return String(value ?? '').replace(SHOWN, (ch) =>
    '&<>"\''.includes(ch) ? `&#${ch.charCodeAt(0)};` : `&#60;${codePoint(ch)}&#62;`,
  );
}
