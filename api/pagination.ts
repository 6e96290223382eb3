import { z } from 'zod';

/** `?limit=&cursor=` of every list endpoint: cursor is the last id of the previous page. */
export const pageQuery = z.object({
  limit: z.coerce.number().int().min(1).max(200).default(50),
  cursor: z.string().uuid().optional(),
});

/** Prisma arguments for a page, and the shaping of its response. */
export function page({ limit, cursor }: z.infer<typeof pageQuery>) {
  return {
    args: {
      take: limit + 1,
      ...(cursor ? { cursor: { id: cursor }, skip: 1 } : {}),
      orderBy: [{ createdAt: 'desc' as const }, { id: 'asc' as const }],
    },
    shape<T extends { id: string }>(rows: T[]) {
      const items = rows.slice(0, limit);
      return { items, nextCursor: rows.length > limit ? items[items.length - 1].id : null };
    },
  };
}
