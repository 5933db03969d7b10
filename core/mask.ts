/**
 * Masking of personal data for messages, reports and logs. An ID number of 14 characters or more
 * keeps its first four and last four (`1101**********002X`); a shorter one keeps fewer, so that at
 * least six stay hidden, and one of eight or fewer keeps none (see `maskId`). A name keeps its
 * first character.
 */
/** Characters `maskId` always hides of a value longer than eight. */
const ID_HIDDEN = 6;

/**
 * An ID number keeps up to four characters at each end, fewer for a shorter one so that at least
 * six stay hidden: four and four of a 9-character passport number (`E123*5678`) or an 11-digit
 * mobile number would show all but one or three characters.
 */
export function maskId(value: string): string {
  // By code point, as maskName and maskContact: a supplementary character (𠮷) is never cut in half.
  const chars = Array.from(value);
  if (chars.length <= 8) return '*'.repeat(chars.length);
  const keep = Math.min(4, Math.floor((chars.length - ID_HIDDEN) / 2));
  return `${chars.slice(0, keep).join('')}${'*'.repeat(chars.length - 2 * keep)}${chars.slice(-keep).join('')}`;
}

export function maskName(value: string): string {
  const chars = Array.from(value);
  if (chars.length === 0) return '';
  return `${chars[0]}${'*'.repeat(Math.max(1, chars.length - 1))}`;
}

/**
 * A holder's phone number or app user id: only the last four characters stay (`*******8000`), and
 * nothing of a value of eight or fewer. Less than `maskId` keeps: a phone number's first digits
 * name its carrier and region, and with the last four they narrow it down to a few people.
 */
export function maskContact(value: string): string {
  const chars = Array.from(value);
  if (chars.length <= 8) return '*'.repeat(chars.length);
  return `${'*'.repeat(chars.length - 4)}${chars.slice(-4).join('')}`;
}

// A PRC passport number standing alone in a text: E or G and eight digits, E, a letter (I and O
// are not used) and seven digits, or the D, S and P series of diplomatic, service and public-affairs
// passports with seven or eight digits. Other countries' numbers have no shape to tell them by.
const PASSPORT_SHAPE =
  /(?<![0-9A-Za-z])(?:[EG][0-9]{8}|E[A-HJ-NP-Z][0-9]{7}|[DSP][0-9]{7,8})(?![0-9A-Za-z])/g;

/** `text` with every PRC passport number in it masked as an ID number (`E123*5678`: see maskId). */
export function maskPassportShapes(text: string): string {
  return text.replace(PASSPORT_SHAPE, maskId);
}
