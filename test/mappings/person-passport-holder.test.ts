/**
 * A mapping declaring its holders organisations (`holder.idType` a constant `001`) may still carry
 * a person's license: a sole trader registered under a PRC passport or a Hong Kong/Macao travel
 * permit. Such a row's id was masked by its shape, but the row was taken for an organisation's and
 * the person's name was kept in clear in its holder.name reason and in the catalog's reasons. A
 * holder id holding a passport or travel permit number (or a mobile number) is now a person's, as
 * one holding a resident ID number is.
 */
import { describe, expect, it } from 'vitest';
import { isLegalPersonHolder } from '../../catalog/personal.js';
import { expectPersonHolders } from './holder-fixtures.js';

const eight = (): string => String(Math.floor(Math.random() * 9e7) + 1e7);
const IDS = [`E${eight()}`, `G${eight()}`, `H${eight()}`, `M${eight()}`, `护照 E${eight()}`, `139${eight()}`];

describe('a holder id holding a passport, travel permit or mobile number', () => {
  it("is a person's: the name is masked in a holder.name reason", () => {
    expectPersonHolders(IDS);
  });

  it("an organisation's codes stay an organisation's", () => {
    for (const id of ['91370406L24894136J', '11370211MB12345672', 'L24894136']) {
      expect(isLegalPersonHolder('001', id), id).toBe(true);
    }
  });
});
