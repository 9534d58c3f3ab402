/** setTimeout fires at once for delays past 2^31-1 ms or for NaN; keep the delay where it means what it says. */
export function clampTimeout(ms: number): number {
  if (!Number.isFinite(ms)) return 2_147_483_647;
  return Math.min(Math.max(1, Math.round(ms)), 2_147_483_647);
}
