/**
 * A cost for people: dollars, "unknown" when no call had a known price, and "$x + unknown" when some
 * did not (the figure is then a lower bound). Never "$0" for an unpriced model.
 */
export function costText(usd: number, unknown = false, digits?: number): string {
  const d = digits ?? (usd === 0 ? 0 : usd < 0.01 ? 4 : 2);
  const dollars = usd === 0 && digits === undefined ? '$0' : `$${usd.toFixed(d)}`;
  if (!unknown) return dollars;
  return usd === 0 ? 'unknown' : `${dollars} + unknown`;
}
