/** Named laps since a start, for the run log's "assembled in" line: where a run's start-up time goes. */
export function stopwatch(now: () => number = () => performance.now()) {
  const start = now();
  let last = start;
  const laps: string[] = [];
  return {
    lap(name: string): void {
      const t = now();
      laps.push(`${name} ${Math.round(t - last)}`);
      last = t;
    },
    summary(): string {
      return `${Math.round(now() - start)} ms (${laps.join(', ')})`;
    },
  };
}
