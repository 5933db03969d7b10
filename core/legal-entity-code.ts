/**
 * Whether a credit code-shaped run (18 chars of GB 32100's alphabet with a right check char) found
 * in text from outside reads as a legal entity's unified social credit code in each of its parts,
 * and so may be shown whole (./scrub.ts). GB 32100's check char alone is right for one run of 18
 * letters and digits in 31: a card number after a country's letters (`CN6222600884400462`), an ID
 * number's first 16 digits after letters or its last 15 before them, and a mobile number run on
 * into a digit and letters (`176000248020BHTMTB`) each passed it that often and went out whole. Each part
 * checked here leaves fewer: 35 pairs of department and kind of 31 × 31, 34 first two digits of a
 * division of 100, the organisation code's own check char one in 31 of what remains.
 */
/**
 * GB 32100 table 1, with its amendments (A, N): each registration department's code and the kinds
 * of institution it registers. 1 establishment offices (1 organ, 2 public institution, 3 mass
 * organisation, 9 other), 2 foreign affairs, 3 justice (1 law firm, 2 notary, 3 legal service, 4 forensic
 * appraisal, 5 arbitration), 4 culture, 5 civil affairs (1 social group, 2 private non-enterprise,
 * 3 foundation), 6 tourism, 7 religion, 8 trade unions, 9 market regulation (1 enterprise, 3
 * cooperative; 2, an individual business, names a person as an ID number does and is left out),
 * A the military's establishment office, N agriculture (1-3 collective economic organisations of
 * group, village and township), Y other (1 only).
 */
const KINDS: Readonly<Record<string, string>> = {
  '1': '1239',
  '2': '19',
  '3': '123459',
  '4': '19',
  '5': '1239',
  '6': '129',
  '7': '129',
  '8': '19',
  '9': '13',
  A: '19',
  N: '1239',
  Y: '1',
};

/**
 * The registering office's division (GB/T 2260): a province's first two digits, Taiwan, Hong Kong
 * and Macao among them, or 100000 for an office of the whole country (`11100000000013338W`).
 */
const DIVISION = /^(?:(?:1[1-5]|2[1-3]|3[1-7]|4[1-6]|5[0-4]|6[1-5]|71|8[12])[0-9]{4}|100000)$/;

// GB 11714: the organisation code's eight chars weighted, 0-9 and A-Z as 0-35; check 11 − Σ mod 11,
// 10 written X and 11 written 0.
const ORG_WEIGHTS = [3, 7, 9, 10, 5, 8, 4, 2] as const;
function orgCodeCheckRight(org: string): boolean {
  let sum = 0;
  for (let i = 0; i < 8; i++) {
    const c = org.charCodeAt(i);
    sum += (c <= 57 ? c - 48 : c - 55) * (ORG_WEIGHTS[i] as number);
  }
  const check = 11 - (sum % 11);
  return org.charAt(8) === (check === 10 ? 'X' : check === 11 ? '0' : String(check));
}

/**
 * Eleven digits of a mobile number's shape with no digit before them: at a code's start or after
 * its letter (`176000248020BHTMTB`, `PH13800138000XYWAJ`), whatever follows. After a digit they are
 * the code's own digits (`11330105002500287C`, a provincial office's), not a number run on into it.
 */
const MOBILE_IN_CODE = /(?<![0-9])1[3-9][0-9]{9}/;

/**
 * Whether a credit code's characters may be a person's number: a resident ID number's (GB 11643),
 * 17 digits with a year of birth (1800-2099) at the seventh, or 15 (the old number, whose year is
 * two digits at the seventh); or a mobile number's ({@link MOBILE_IN_CODE}). An ID number passes GB
 * 32100's check one time in 31 (`11010519491231037X`, `110105194912310409`), one with a mistyped
 * check char as often (`11010519491231002B`). No calendar is asked of the month and day: a number
 * with them mistyped (`341102198724151234`, month 24) is a person's still.
 */
function mayBePersonNumber(code: string): boolean {
  if (MOBILE_IN_CODE.test(code)) return true;
  for (let i = 0; i + 17 <= code.length; i++)
    if (/^[0-9]{6}(?:1[89]|20)[0-9]{9}$/.test(code.slice(i, i + 17))) return true;
  for (let i = 0; i + 15 <= code.length; i++) if (/^[0-9]{15}$/.test(code.slice(i, i + 15))) return true;
  return false;
}

/**
 * A letter among a code's 18 chars. A run of 18 digits (or 21) is read as a number whatever checks
 * it passes: GB 32100's check and each part's let a mistyped ID number, a card number or an ID
 * number's first 16 digits after `91` through (`621196902814972431`, `911101051996091031`).
 */
const LETTER = /[A-Z]/;

/**
 * Whether `code`, 18 chars of GB 32100's alphabet with a right check char (or 21, the three digits
 * of a license type code after them), is a legal entity's credit code to be shown whole: department
 * and kind from GB 32100's table (not an individual business's, `92…`), a province's division,
 * an organisation code with a right GB 11714 check char, and nothing a person's number may be.
 */
export function isLegalEntityCode(code: string): boolean {
  return (
    LETTER.test(code.slice(0, 18)) &&
    (KINDS[code.charAt(0)] ?? '').includes(code.charAt(1)) &&
    DIVISION.test(code.slice(2, 8)) &&
    orgCodeCheckRight(code.slice(8, 17)) &&
    !mayBePersonNumber(code)
  );
}
