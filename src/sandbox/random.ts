// A small seeded PRNG (mulberry32) so that one seed always gives the same estate.

export type Rng = () => number;

export function createRng(seed: number): Rng {
  let a = (seed >>> 0) ^ 0x9e3779b9;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** 32 lower-case hex characters, like a Central customer id. */
export function hex32(rng: Rng): string {
  let out = '';
  for (let i = 0; i < 4; i++)
    out += Math.floor(rng() * 4294967296)
      .toString(16)
      .padStart(8, '0');
  return out;
}

export function pick<T>(rng: Rng, items: readonly T[]): T {
  return items[Math.floor(rng() * items.length)] as T;
}
