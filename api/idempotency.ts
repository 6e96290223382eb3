import { createHash } from 'node:crypto';
import type { RequestHandler } from 'express';
import type { Db } from '../infra/db';
import { HttpError, parse } from './errors';
import { idempotencyKeyHeader } from './orders/validators';

/** How long an answer is kept for retries. */
const KEEP_MS = 24 * 3_600_000;
/** A first request still unanswered after this long is taken to have died: a retry may act again. */
const STALE_MS = 60_000;
/** How long a concurrent retry waits for the first request's answer before giving up with 409. */
const WAIT_MS = 10_000;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * `Idempotency-Key` on every mutating request: the first answer (any status below 500) is stored
 * and a retry with the same key gets it back (`Idempotent-Replayed: true`) without acting again; a
 * retry while the first is in progress waits for its answer; the same key on another request is
 * refused with 422. Keys are scoped to the API key that sent them. A 5xx is not stored, so a retry
 * acts again. Creations also keep their key on the record they create (`createOnce`), which holds
 * even when the process died between acting and storing the answer.
 */
export function idempotentRequests(prisma: Db): RequestHandler {
  return async (req, res, next) => {
    if (req.method === 'GET' || req.method === 'HEAD') return next();
    const key = parse(idempotencyKeyHeader, req.get('idempotency-key'), 'header Idempotency-Key');
    if (!key) return next();
    const id = `${req.apiKey!.id}:${key}`;
    const fingerprint = createHash('sha256')
      .update(`${req.method} ${req.originalUrl}\n${JSON.stringify(req.body ?? null)}`)
      .digest('hex');

    for (const deadline = Date.now() + WAIT_MS; ; ) {
      const now = new Date();
      await prisma.idempotentRequest.deleteMany({ where: { id, expiresAt: { lt: now } } });
      const claimed = await prisma.idempotentRequest.createMany({
        data: { id, fingerprint, lockedAt: now, expiresAt: new Date(now.getTime() + KEEP_MS) },
        skipDuplicates: true,
      });
      if (claimed.count === 1) break;
      const first = await prisma.idempotentRequest.findUnique({ where: { id } });
      if (!first) continue;
      if (first.fingerprint !== fingerprint) {
        throw new HttpError(422, 'Unprocessable Content', 'This Idempotency-Key was used for another request: use a new key');
      }
      if (first.status !== null) {
        res.status(first.status).set('Idempotent-Replayed', 'true');
        if (first.location) res.location(first.location);
        return res.type(first.contentType ?? 'application/json').send(JSON.stringify(first.body));
      }
      const stale = now.getTime() - first.lockedAt.getTime() > STALE_MS;
      if (stale) {
        const taken = await prisma.idempotentRequest.updateMany({
          where: { id, lockedAt: first.lockedAt, status: null },
          data: { lockedAt: now },
        });
        if (taken.count === 1) break;
      }
      if (Date.now() > deadline) {
        res.set('Retry-After', '1');
        throw new HttpError(409, 'Conflict', 'A request with this Idempotency-Key is still in progress: retry in a moment');
      }
      await sleep(100);
    }

    // Keep the answer when it is sent: every route answers JSON (problem details included).
    let body: unknown;
    const json = res.json.bind(res);
    res.json = (value: unknown) => {
      body = value;
      return json(value);
    };
    res.on('finish', () => {
      const done =
        res.statusCode < 500
          ? prisma.idempotentRequest.update({
              where: { id },
              data: {
                status: res.statusCode,
                contentType: String(res.get('content-type') ?? 'application/json'),
                location: res.get('location') ?? null,
                body: body === undefined ? undefined : (body as object),
              },
            })
          : prisma.idempotentRequest.delete({ where: { id } });
      done.catch(() => undefined); // a retry after a lost write acts again, and the records' own keys hold
    });
    next();
  };
}

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
