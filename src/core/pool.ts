// One worker pool: `concurrency` workers take the next item from `next()` (made one at a time,
// never all up front) until it gives undefined or `stop()` says so. The first failure stops the
// other workers from taking more and is thrown. Pure: the rate is the HTTP client's business.
export async function pool<T>(
  next: () => T | undefined,
  concurrency: number,
  work: (item: T) => Promise<void>,
  stop: () => boolean = () => false,
): Promise<void> {
  let failed = false;
  const worker = async () => {
    for (;;) {
      if (failed || stop()) return;
      const item = next();
      if (item === undefined) return;
      try {
        await work(item);
      } catch (error) {
        failed = true;
        throw error;
      }
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, concurrency) }, worker));
}

/** `next()` over a list. */
export function from<T>(items: readonly T[]): () => T | undefined {
  let i = 0;
  return () => (i < items.length ? items[i++] : undefined);
}
