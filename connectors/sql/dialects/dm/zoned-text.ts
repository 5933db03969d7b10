/**
 * DM's text for a zoned value (TIMESTAMP/DATETIME WITH [LOCAL] TIME ZONE, fetched as text): the
 * fields in the offset's zone, then the offset, `2024-03-01 07:00:00.123456 +08:00`. It is an
 * instant; its calendar day is the one in the configured zone (core/local-date.ts).
 */
import { zonedInstant } from '../../../../core/local-date.js';

export const DM_ZONED_TYPE = /WITH (LOCAL )?TIME ZONE/i;
const ZONED_TEXT = /^(\d{4}-\d{2}-\d{2}) (\d{2}:\d{2}:\d{2})(\.\d+)? ([+-]\d{2}:\d{2})$/;

/** A marked instant from dmdb's zoned text; undefined when the text is not that shape. */
export function zonedText(text: string): Date | undefined {
  const m = ZONED_TEXT.exec(text);
  if (!m) return undefined;
  const [, day, time, fraction, offset] = m;
  // A Date keeps milliseconds: the fraction is cut to three digits, as the other dialects do.
  const ms = fraction ? fraction.slice(0, 4).padEnd(4, '0') : '';
  const at = new Date(`${day}T${time}${ms}${offset}`);
  return Number.isNaN(at.getTime()) ? undefined : zonedInstant(at);
}
