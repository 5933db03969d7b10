/**
 * `holderIdType`: the GB/T 36903 holder id type a row's holder id names by its shape, for license
 * types held by companies and individual businesses alike (one id column, two kinds of holders).
 * A source with a column saying the holder's kind maps it with `lookup` instead.
 */
import { holderIdTypeOfShape, joinedResidentId } from '../catalog/holder-id.js';
import { fail, ok, textStep, toHalfWidth } from './step.js';
import type { TransformDefinition } from './transforms.js';

const SHAPED = ['001', '099', '111'] as const;

export const holderIdType: TransformDefinition = {
  argument: 'required',
  description:
    'holder id → its id type by shape: 001 (GB 32100 credit code), 111 (GB 11643 resident ID, 15 or 18 chars) or 099 (a 15-digit registration number: no real birth date and its MOD 11,10 check digit, or no 111 listed), among the listed types',
  compile(arg) {
    const list = Array.isArray(arg) ? arg : [];
    if (
      list.length === 0 ||
      !list.every((t) => typeof t === 'string' && (SHAPED as readonly string[]).includes(t)) ||
      new Set(list).size !== list.length
    ) {
      return 'expected the id types a value may be given, a list of "001", "099" and/or "111", e.g. ["001", "111"] (quote them: YAML reads 001 as a number)';
    }
    const allowed = new Set(list as string[]);
    // Without 111 the holder is an organisation: a 15-digit number is its registration number.
    const shape = { organisation: !allowed.has('111') };
    return textStep((s) => {
      // The value itself is never put into a message: it may be a person's ID number.
      // A resident ID number written in groups (`110105 19491231 002X`) is read joined, as idNumber writes it.
      const id = joinedResidentId(toHalfWidth(s).trim()).toUpperCase().replace(/x$/i, 'X');
      const type = holderIdTypeOfShape(id, undefined, shape);
      if (type === null && /^[0-9]{15}$/.test(id)) {
        // Neither a person's old number nor an organisation's: guessing either could show a
        // person's number as an organisation's, so the row waits for its source to be corrected.
        return fail(
          'LB_MAP_HOLDER_ID_TYPE',
          'holderIdType: 15 digits that are neither a first-generation resident ID (digits 7-12 are no birth date) nor a business registration number (the last digit is not its GB/T 17710 MOD 11,10 check digit)',
        );
      }
      if (type === null) {
        return fail(
          'LB_MAP_HOLDER_ID_TYPE',
          'holderIdType: the value has the shape neither of a resident ID number (18 chars, or 15 digits) nor of a credit code (18 chars, GB 32100)',
        );
      }
      if (!allowed.has(type)) {
        return fail(
          'LB_MAP_HOLDER_ID_TYPE',
          `holderIdType: the value has the shape of id type ${type}, not of ${[...allowed].join(' or ')}`,
        );
      }
      return ok(type);
    });
  },
};
