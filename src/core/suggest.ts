/**
 * Edit distance (Levenshtein), for "did you mean" suggestions. With `max`, any distance over it is
 * reported as `max + 1` as soon as it is certain (a list of 10,000 customers is scanned in
 * milliseconds: most names are far from what was typed).
 */
export function distance(a: string, b: string, max = Number.POSITIVE_INFINITY): number {
  if (a === b) return 0;
  if (Math.abs(a.length - b.length) > max) return max + 1;
  if (!a.length || !b.length) return Math.min(a.length + b.length, max + 1);
  let previous = new Array<number>(b.length + 1);
  let current = new Array<number>(b.length + 1);
  for (let j = 0; j <= b.length; j++) previous[j] = j;
  for (let i = 1; i <= a.length; i++) {
    current[0] = i;
    let rowMin = i;
    const ch = a.charCodeAt(i - 1);
    for (let j = 1; j <= b.length; j++) {
      const cost = ch === b.charCodeAt(j - 1) ? 0 : 1;
      const value = Math.min(previous[j]! + 1, current[j - 1]! + 1, previous[j - 1]! + cost);
      current[j] = value;
      if (value < rowMin) rowMin = value;
    }
    // Every path to the end passes through this row: none can come back under `max`.
    if (rowMin > max) return max + 1;
    [previous, current] = [current, previous];
  }
  return Math.min(previous[b.length]!, max + 1);
}

/**
 * The candidates closest to `input`: those containing it (or contained in it) first, then by edit
 * distance within a tolerance that grows with the input's length.
 */
export function nearest(
  input: string,
  candidates: Iterable<string>,
  limit = 3,
  key = (s: string) => s,
): string[] {
  const wanted = key(input);
  const scored: Array<{ candidate: string; score: number }> = [];
  for (const candidate of candidates) {
    const k = key(candidate);
    const contains = wanted.length >= 3 && (k.includes(wanted) || wanted.includes(k));
    const tolerance = Math.max(2, Math.floor(wanted.length / 3));
    // A containing candidate is ranked by its exact distance; any other only within the tolerance.
    const d = distance(wanted, k, contains ? Number.POSITIVE_INFINITY : tolerance);
    if (contains) scored.push({ candidate, score: d / 100 });
    else if (d <= tolerance) scored.push({ candidate, score: d });
  }
  scored.sort((x, y) => x.score - y.score || x.candidate.localeCompare(y.candidate));
  return scored.slice(0, limit).map((s) => s.candidate);
}
