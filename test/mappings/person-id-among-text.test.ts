/**
 * A mapping declaring its holders organisations masks a row's holder name when its id is a
 * person's resident ID number. An id column holding the number among other words, as legacy
 * systems keep a document's type with it (`身份证110101…`, `110101…（身份证）`, `居民身份证：110101…`),
 * had no resident ID number's shape: the number was masked where it stood, but the person's name
 * was shown in clear in the row's holder.name reason. Such an id is now a person's too.
 */
import { describe, expect, it } from 'vitest';
import { isLegalPersonHolder } from '../../catalog/personal.js';
import { expectPersonHolders, withCheck } from './holder-fixtures.js';

const ID = withCheck(`37021119780219${String(Math.floor(Math.random() * 900) + 100)}`);
const OLD_ID = `370211780219${String(Math.floor(Math.random() * 900) + 100)}`;

const IDS = [
  `身份证${ID}`,
  `${ID}（身份证）`,
  `居民身份证：${ID.slice(0, 6)} ${ID.slice(6, 14)} ${ID.slice(14)}`,
  `旧证 ${OLD_ID}`,
];

describe('a holder id holding a resident ID number among other words', () => {
  it("is a person's: the holder's name is masked in a holder.name reason", () => {
    expectPersonHolders(IDS);
  });

  it("an organisation's code among words stays an organisation's", () => {
    for (const id of ['统一社会信用代码91370406L24894136J', '91370406L24894136J（营业执照）']) {
      expect(isLegalPersonHolder('001', id), id).toBe(true);
    }
  });
});
