/**
 * Numbers written in their groups, as a message gateway's refusal reason may name the number it
 * refused (`110101-900307-123`, `138-0013-8000`): none has a run of seven digits, so a check for
 * long digit runs passes them whole. Synthetic, built here. And whether a text hides them.
 */

/** An old-form ID number, in its groups. */
export const OLD_ID = ['110101', '900307', '123'];
/** An ID number, in its groups. */
export const ID = ['110105', '19491231', '002X'];
/** A mobile number, in its groups. */
export const MOBILE = ['138', '0013', '8000'];
/** Refusal reason tokens naming each. */
export const TOKENS = [OLD_ID.join('-'), `ID_${ID.join('-')}_INVALID`, `no-route-${MOBILE.join('-')}`];

/** Whether `text` holds none of the groups of `groups` before its last one. */
const hidesGroups = (text: string, groups: string[]) => groups.slice(0, -1).every((g) => !text.includes(g));

/** Whether `text` hides every number above, all but its last group. */
export const hidesAll = (text: string): boolean => [OLD_ID, ID, MOBILE].every((g) => hidesGroups(text, g));
