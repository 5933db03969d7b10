/**
 * MySQL and MariaDB ENUM and SET keys and cursors. MySQL sorts an ENUM by the place of its value in
 * the type's list, and a SET by the bits of its members, but compares either with text as text: a
 * key-ordered page of `ENUM('XK','BA','JY')` read `XK` first and resumed with `K > 'XK'`, which
 * neither `BA` nor `JY` is, and they were never read (a page ending at `BA` read `XK` again).
 * Compared with a number, MySQL takes the place (the bits), as its ORDER BY does.
 */

const LIST_TYPE = /^(enum|set)\s*\((.*)\)/is;
// A member as COLUMN_TYPE writes it: quoted, a quote in it doubled.
const MEMBER = /'((?:[^']|'')*)'/g;

/** The members of an `enum(…)` or `set(…)` column type, in the type's order. */
function members(list: string): string[] {
  return [...list.matchAll(MEMBER)].map((m) => (m[1] as string).replaceAll("''", "'"));
}

/**
 * The number MySQL sorts `text` by in a column of `type`, as decimal text: an ENUM value's place
 * (from 1; 0 for the empty value MySQL stores for an invalid one), a SET's sum of its members' bits.
 * Undefined for another type, or text the type's list does not hold (the type was altered since the
 * checkpoint was written): compared as text then, as before.
 */
export function listPlace(type: string, text: string): string | undefined {
  const m = LIST_TYPE.exec(type);
  if (!m) return undefined;
  const list = members(m[2] as string);
  if (text === '') return '0';
  if ((m[1] as string).toLowerCase() === 'enum') {
    const i = list.indexOf(text);
    return i < 0 ? undefined : String(i + 1);
  }
  let bits = 0n;
  for (const member of text.split(',')) {
    const i = list.indexOf(member);
    if (i < 0) return undefined;
    bits |= 1n << BigInt(i);
  }
  return bits.toString();
}
