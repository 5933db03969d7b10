/**
 * `licbridge check uscc|id|identifier VALUE`: whether a code is valid and what its check character
 * is — the unit's credit code for the config (`issuer.code`), a resident ID number from a row, a
 * license identifier from a platform — with the standards' own algorithms (catalog/).
 */
import {
  checkHolderId,
  isValidUscc,
  normaliseResidentId,
  residentIdCheckChar,
  usccCheckChar,
} from '../catalog/holder-id.js';
import { checkChar, IDENTIFIER_ROOT, parseIdentifier } from '../catalog/identifier.js';
import { hasResidentIdShape, maskNumberShapes } from '../catalog/personal.js';
import { maskId } from '../core/mask.js';
import { toHalfWidth } from '../mappings/step.js';

export type CodeKind = 'uscc' | 'id' | 'identifier';

export interface CodeCheck {
  kind: CodeKind;
  valid: boolean;
  /**
   * The value as checked (normalised; masked when it has an ID number's shape, whatever the kind,
   * and any ID, mobile, passport or travel permit number in it masked by its shape: shownValue).
   */
  value: string;
  /** The check character the first characters call for, when they can have one. */
  checkChar?: string;
  /** The value completed with that check character (a 17-char credit code, a 15-digit ID number). */
  completed?: string;
  /** Why the value is invalid. */
  problem?: string;
}

const USCC_BODY = /^[0-9A-HJ-NPQRTUWXY]{17}$/;

/**
 * A credit code's check. Digits are within the GB 32100 alphabet, so a person's ID number given
 * here (from the wrong column, or where a holder's code was asked for) is checked as a code: a
 * value of its shape, or its first 17 digits, is shown masked as `check id` shows it, `completed`
 * too. An organisation's all-digit code is masked with them; its check character is still given.
 */
function checkUscc(raw: string): CodeCheck {
  const code = raw.trim().toUpperCase();
  const result = usccOf(code);
  if (!hasResidentIdShape(code) && !/^[0-9]{17}$/.test(code)) return result;
  return {
    ...result,
    value: maskId(result.value),
    ...(result.completed === undefined ? {} : { completed: maskId(result.completed) }),
  };
}

function usccOf(code: string): CodeCheck {
  const first17 = code.slice(0, 17);
  if (code.length !== 17 && code.length !== 18) {
    return {
      kind: 'uscc',
      valid: false,
      value: code,
      problem: `expected 18 characters (or the first 17), got ${code.length}`,
    };
  }
  if (!USCC_BODY.test(first17)) {
    return {
      kind: 'uscc',
      valid: false,
      value: code,
      problem: 'holds a character outside the GB 32100 alphabet (no I, O, S, V, Z)',
    };
  }
  const check = usccCheckChar(first17);
  if (code.length === 17)
    return {
      kind: 'uscc',
      valid: false,
      value: code,
      checkChar: check,
      completed: first17 + check,
      problem: 'the check character is missing',
    };
  const valid = isValidUscc(code);
  return {
    kind: 'uscc',
    valid,
    value: code,
    checkChar: check,
    ...(valid ? {} : { problem: `the check character is ${code.charAt(17)}, GB 32100 gives ${check}` }),
  };
}

function checkResidentId(raw: string): CodeCheck {
  const trimmed = raw.trim();
  const id = normaliseResidentId(trimmed);
  const shown = maskId(id);
  if (/^[0-9]{17}$/.test(id)) {
    const check = residentIdCheckChar(id);
    return {
      kind: 'id',
      valid: false,
      value: shown,
      checkChar: check,
      completed: maskId(id + check),
      problem: 'the check character is missing',
    };
  }
  // GB/T 36903 type 111: the resident ID card number (GB 11643); messages mask the number.
  const problem = checkHolderId('111', id)?.message ?? null;
  const check = /^[0-9]{17}/.test(id) ? residentIdCheckChar(id.slice(0, 17)) : undefined;
  return {
    kind: 'id',
    valid: problem === null,
    value: shown,
    ...(check ? { checkChar: check } : {}),
    ...(trimmed.length === 15 && problem === null ? { completed: shown } : {}),
    ...(problem === null ? {} : { problem }),
  };
}

function checkIdentifier(raw: string): CodeCheck {
  const text = raw.trim();
  const parsed = parseIdentifier(text);
  let check: string | undefined;
  // type.issuer.serial.version.check after the root: the check runs over the four parts, dots removed.
  if (text.startsWith(`${IDENTIFIER_ROOT}.`)) {
    const parts = text.slice(IDENTIFIER_ROOT.length + 1).split('.');
    if (parts.length >= 4) {
      try {
        check = checkChar(parts.slice(0, 4).join(''));
      } catch {
        check = undefined;
      }
    }
  }
  if (parsed.ok) {
    return {
      kind: 'identifier',
      valid: true,
      value: text,
      checkChar: check ?? parsed.check,
      ...(parsed.legacyCheck
        ? {
            problem: `the check character follows the vendor variant (A–Z → 11–36); GB/T 36904 gives ${check}`,
          }
        : {}),
    };
  }
  return {
    kind: 'identifier',
    valid: false,
    value: text,
    ...(check ? { checkChar: check } : {}),
    problem: parsed.reason,
  };
}

/**
 * `value` as the check prints it: a person's number given under any kind (an ID number where a
 * credit code or an identifier was asked for, a mobile or passport number from the wrong column, an
 * identifier whose serial is its holder's ID number) is masked by its shape, as a report masks a
 * record key; a credit code or an identifier stays in clear.
 */
function shownValue(result: CodeCheck): CodeCheck {
  const value = hasResidentIdShape(result.value) ? maskId(result.value) : maskNumberShapes(result.value);
  return value === result.value ? result : { ...result, value };
}

export function checkCode(kind: CodeKind, value: string): CodeCheck {
  // A value copied from a legacy row or a form may be typed full-width (`９１３７…Ｊ`): read as
  // the mapping's halfWidth and holderIdType read it, not refused as outside the alphabet.
  const text = toHalfWidth(value);
  if (kind === 'uscc') return shownValue(checkUscc(text));
  if (kind === 'id') return checkResidentId(text);
  return shownValue(checkIdentifier(text));
}
