/**
 * A name after its label in a URL's query, percent-encoded as a client sends it
 * (`?xm=%E5%BC%A0%E4%B8%89`, `?%E5%A7%93%E5%90%8D=…`, 姓名 encoded as the key): the labels'
 * pattern (./labelled-names.ts) reads Han characters and capitalised words, and a log line showed
 * such a name whole. An error's text hides every encoded text other than ASCII already
 * (./error-text.ts hideEncodedText); a log line keeps the query, for an operator to read which
 * request failed, and only a parameter whose decoded key and value read as a labelled name has its
 * value hidden.
 */

/** A byte of a character other than ASCII, percent-encoded. */
const ENCODED_NOT_ASCII = /%[89A-Fa-f][0-9A-Fa-f]/;
/** A word (no white space or quote) holding one. */
const ENCODED_WORD = /[^\s"'<>]*%[89A-Fa-f][0-9A-Fa-f][^\s"'<>]*/g;
/** A query's parameter: what opens it, its key and its value. */
const PARAM = /(^|[?&;])([^=&?;#]*)=([^&;#]*)/g;

function decoded(part: string): string | undefined {
  try {
    return decodeURIComponent(part.replace(/\+/g, ' '));
  } catch {
    // Bytes that are no UTF-8 (an escape cut short) read as nothing: the part stays as it is.
    return undefined;
  }
}

/**
 * `text` with the value of each encoded query parameter that `hide` (the labelled names' pass)
 * hides a name in, decoded, replaced by `***`. A value whose name is hidden only in part
 * (`持证人：张三` as one value) is written again encoded, with `***` for the name.
 */
export function hideEncodedNames(text: string, hide: (text: string) => string): string {
  if (!text.includes('%') || !ENCODED_NOT_ASCII.test(text)) return text;
  return text.replace(ENCODED_WORD, (word) =>
    word.replace(PARAM, (param, open: string, key: string, value: string) => {
      if (!ENCODED_NOT_ASCII.test(param)) return param;
      const k = decoded(key);
      const v = decoded(value);
      if (k === undefined || v === undefined || v === '') return param;
      const plain = `${k}=${v}`;
      const hidden = hide(plain);
      if (hidden === plain) return param;
      if (!hidden.startsWith(`${k}=`)) return `${open}${key}=***`;
      const rest = hidden.slice(k.length + 1);
      return `${open}${key}=${rest === '***' ? rest : encodeURIComponent(rest).replace(/%2A/g, '*')}`;
    }),
  );
}

/**
 * A character JSON escapes that a name or its label may hold: CJK (U+3000–U+9FFF), full-width forms.
 * An escape only after an even number of backslashes (kept, group 1): after an odd number its
 * backslash is itself escaped (`"C:\\u6570data"` in JSON text, a path), and `u6570` is letters.
 */
const ESCAPED = /(?<!\\)((?:\\\\)*)\\u([3-9][0-9A-Fa-f]{3}|[Ff][Ff][0-9A-Fa-f]{2})/g;

/**
 * `text` with a name after its label hidden where JSON's escapes write them (`{"holderName":
 * "\u5f20\u4e09"}`, a body logged raw from a client that escapes all but ASCII): read decoded by
 * `hide` (the labelled names' pass), which reads Han characters only. Where a name is hidden the
 * text is shown decoded (`{"holderName":"***"}`); a text with none stays as it was.
 */
export function hideEscapedNames(text: string, hide: (text: string) => string): string {
  if (!text.includes('\\u')) return text;
  ESCAPED.lastIndex = 0;
  if (!ESCAPED.test(text)) return text;
  const plain = text.replace(
    ESCAPED,
    (_, before: string, hex: string) => before + String.fromCharCode(Number.parseInt(hex, 16)),
  );
  const hidden = hide(plain);
  return hidden === plain ? text : hidden;
}
