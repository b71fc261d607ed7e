/** The fee rule's settings: basis points of the price (1000 = 10 %) and a floor, in piastres. */
export interface FeeRule {
  bps: number;
  min: number;
}

/**
 * The platform's fee on a job of `jobPrice` piastres (API.md "Money"): `bps` basis points of
 * the price rounded half up to a whole piastre, at least `min`, never more than the price.
 * E.g. 10 % of 12,345 is 1,234.5 → 1,235.
 *
 * @throws RangeError when the price is not a non-negative safe integer
 */
export function platformFee(jobPrice: number, rule: FeeRule): number {
  if (!Number.isSafeInteger(jobPrice) || jobPrice < 0) {
    throw new RangeError(`A job price is a non-negative integer of piastres, not ${jobPrice}`);
  }
  // integers only: price × bps stays far below 2^53 for any price the API accepts
  const rounded = Math.floor((jobPrice * rule.bps + 5_000) / 10_000);
  return Math.min(jobPrice, Math.max(rule.min, rounded));
}
