/**
 * Creates a record carrying a client's Idempotency-Key. When a concurrent request with the same key
 * wins the race (unique violation), the record it created is returned instead: one record per key.
 */
export async function createOnce<T>(
  key: string | undefined,
  create: () => Promise<T>,
  created: (key: string) => Promise<T | null>,
): Promise<T> {
  try {
    return await create();
  } catch (err) {
    const winner = key && (err as { code?: string }).code === 'P2002' ? await created(key) : null;
    if (winner) return winner;
    throw err;
  }
}
