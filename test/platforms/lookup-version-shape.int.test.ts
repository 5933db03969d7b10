/**
 * An entry whose version is no version was unreadable 'its version is not a number' whatever it
 * held, a fraction or zero too, which are numbers: the reader of the report could not tell a
 * platform numbering from 0 from one answering text. The reason now names the version's shape (a
 * fraction, a negative number, zero, a number too large to hold exactly), never its value, on the
 * listing and the lookup path alike.
 */
import { describe } from 'vitest';
import { restTargetAnswering } from './lookup-stand-in.js';
import { itNamesEachShape } from './version-shape-cases.js';

const targetAnswering = restTargetAnswering();

const SHAPES: [unknown, string | null][] = [
  [2, null],
  [2.5, 'its version is a fraction'],
  [-1, 'its version is a negative number'],
  [-2.5, 'its version is a negative number'],
  [0, 'its version is zero'],
  ['000', 'its version is zero'],
  [2 ** 53, 'its version is a number too large to hold exactly'],
  ['99999999999999999999', 'its version is a number too large to hold exactly'],
  ['one', 'its version is not a number'],
  [true, 'its version is not a number'],
];

describe('an entry whose version is no whole number from 1', () => {
  itNamesEachShape(
    targetAnswering,
    SHAPES,
    'list: unreadable, the reason naming the shape of its version',
    20,
  );
});
