// A token's expiry as people type it, checked the same way in the app's dialog and on the command line.
import { describe, expect, it } from 'vitest';
import { tokenExpiryInput } from '../../../common/contract/profiles';

describe('tokenExpiryInput', () => {
  it('takes ISO 8601 with a time zone, with or without seconds', () => {
    for (const text of [
      '2026-12-01T18:00:00Z',
      '2026-12-01T18:00Z',
      '2026-12-01T18:00:00.5+01:00',
      '2028-02-29T00:00-05:00',
    ]) {
      expect(tokenExpiryInput.safeParse(text).success, text).toBe(true);
    }
  });

  it('refuses a day that does not exist, a missing time zone and words', () => {
    for (const text of ['2031-02-31T10:00:00Z', '2027-02-29T10:00Z', '2026-12-01T18:00:00', 'friday', '2026-12-01']) {
      expect(tokenExpiryInput.safeParse(text).success, text).toBe(false);
    }
  });
});
