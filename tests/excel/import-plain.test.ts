/**
 * The household import takes a name or a phone without asking zod when the schema would return the text unchanged
 * (main/core/excel/import/households.ts, plainText). These are the schema properties that shortcut relies on: if a
 * schema starts to change or refuse such texts, this fails and the shortcut must follow it.
 */
import { describe, expect, it } from 'vitest';
import { HouseholdInput, isPhoneNumber, PersonInput } from '../../shared/schemas.ts';

const P = PersonInput.shape;

describe('texts the import takes without the schema', () => {
  it('a phone of the schema’s own form comes back from the phone schemas unchanged', () => {
    const phones = ['13812345678', '19900000000', '0851234567', '08512345678', '085123456789'];
    for (const t of phones) {
      expect(isPhoneNumber(t)).toBe(true);
      expect(P.phone.parse(t)).toBe(t);
      expect(HouseholdInput.shape.phone.parse(t)).toBe(t);
    }
    for (const t of ['1381234567', '12812345678', '138-1234-5678', '085123456', '0851234567890']) {
      expect(isPhoneNumber(t)).toBe(false);
    }
  });

  it('a trimmed name within the name schema’s length comes back unchanged, one longer is refused', () => {
    const min = P.name.minLength ?? 0;
    const max = P.name.maxLength ?? 0;
    expect([min, max]).toEqual([1, 30]);
    for (const t of ['王', '欧阳建国', 'Li Ming', '阿卜杜热合曼·买买提', '张'.repeat(max)])
      expect(P.name.parse(t)).toBe(t);
    expect(P.name.safeParse('张'.repeat(max + 1)).success).toBe(false);
  });
});
