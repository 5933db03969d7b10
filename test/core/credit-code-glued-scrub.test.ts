/**
 * Text from outside (a platform's reason, a gateway's answer) is scrubbed of credit codes (GB
 * 32100) as of ID numbers: an individual business's code (`92…`) names a person as an ID number
 * does. Only a code standing alone was cut to its last four; one with letters stuck to it (a record
 * key naming it, `USCC92…`) had only its first run of digits cut, and 14 of its 18 chars were
 * stored and shown (`USCC****0211MA3098E10F`). A code with a right check char is now cut wherever
 * it stands; letters beside it are kept, and other runs of letters and digits are left as they were.
 */
import { describe, expect, it } from 'vitest';
import { scrubPersonal } from '../../core/scrub.js';

// Synthetic: 92 (an individual business), 370211, `MA3098E10` and its check char F.
const CODE = '92370211MA3098E10F';
const scrub = (text: string) => scrubPersonal(text, [], () => '***');

describe('a credit code with letters stuck to it, in text from outside', () => {
  it.each([
    [`USCC${CODE}`, 'USCC**************E10F'],
    [`key ${CODE}x refused`, 'key **************E10Fx refused'],
    [`tyshxydm${CODE}ABC`, 'tyshxydm**************E10FABC'],
  ])('%s is cut to its last four', (text, shown) => {
    expect(scrub(text)).toBe(shown);
  });

  it('is cut standing alone as before', () => {
    expect(scrub(`holder ${CODE}: refused`)).toBe('holder **************E10F: refused');
  });

  it('leaves a run whose 18 chars have no right check char as the digit rule leaves it', () => {
    expect(scrub('USCC92370211MA3098E10G')).toBe('USCC****0211MA3098E10G');
    expect(scrub('ORDERABCDEFGHJKLMNPQ')).toBe('ORDERABCDEFGHJKLMNPQ');
  });
});
