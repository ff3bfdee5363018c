import { describe, expect, it } from '@jest/globals';
import { canonicalUuid } from './uuid.js';

describe('canonicalUuid', () => {
  it('is the lower-case form, so an id in any case names one row', () => {
    expect(canonicalUuid('0190A1B2-0000-7000-8000-00000000ABCD')).toBe('0190a1b2-0000-7000-8000-00000000abcd');
    expect(canonicalUuid('0190a1b2-0000-7000-8000-00000000abcd')).toBe('0190a1b2-0000-7000-8000-00000000abcd');
  });
});
