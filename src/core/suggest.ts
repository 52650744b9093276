/** Edit distance (Levenshtein), for "did you mean" suggestions. */
export function distance(a: string, b: string): number {
  if (a === b) return 0;
  if (!a.length) return b.length;
  if (!b.length) return a.length;
  let previous = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      current[j] = Math.min(previous[j]! + 1, current[j - 1]! + 1, previous[j - 1]! + cost);
    }
    previous = current;
  }
  return previous[b.length]!;
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
    const d = distance(wanted, k);
    const tolerance = Math.max(2, Math.floor(wanted.length / 3));
    if (contains) scored.push({ candidate, score: d / 100 });
    else if (d <= tolerance) scored.push({ candidate, score: d });
  }
  scored.sort((x, y) => x.score - y.score || x.candidate.localeCompare(y.candidate));
  return scored.slice(0, limit).map((s) => s.candidate);
}
