import { describe, expect, it } from '@jest/globals';
import { platformFee } from './platform-fee.js';

describe(platformFee.name, () => {
  const tenPercent = { bps: 1000, min: 0 };

  it('should take the basis points of the price, rounded half up', () => {
    expect(platformFee(10_000, tenPercent)).toBe(1_000);
    expect(platformFee(12_345, tenPercent)).toBe(1_235);
    expect(platformFee(12_344, tenPercent)).toBe(1_234);
    expect(platformFee(5, tenPercent)).toBe(1);
    expect(platformFee(4, tenPercent)).toBe(0);
  });

  it('should charge at least the minimum, and never more than the price', () => {
    expect(platformFee(1_000, { bps: 1000, min: 500 })).toBe(500);
    expect(platformFee(300, { bps: 1000, min: 500 })).toBe(300);
  });

  it('should stay exact at the largest price', () => {
    expect(platformFee(100_000_000, { bps: 1234, min: 0 })).toBe(12_340_000);
    expect(platformFee(99_999_999, { bps: 1, min: 0 })).toBe(10_000);
  });

  it('should refuse a price that is not whole piastres', () => {
    expect(() => platformFee(10.5, tenPercent)).toThrow(RangeError);
    expect(() => platformFee(-1, tenPercent)).toThrow(RangeError);
  });
});
