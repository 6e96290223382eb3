import { createHash, randomBytes } from 'node:crypto';
import type { Request, RequestHandler } from 'express';
import type { Db } from '../infra/db';
import type { Role } from '../generated/prisma/enums';
import { HttpError } from './errors';

export type { Role };

/** sha256 of an API key: keys are long random strings, so a fast hash is enough to store them safely. */
export const hashApiKey = (key: string): string => createHash('sha256').update(key).digest('hex');

/** Creates a key for a role (a technician's may be bound to them); the plain key is returned once and only its hash is stored. */
export async function createApiKey(prisma: Db, name: string, role: Role, technicianId?: string): Promise<string> {
  const key = `bo_${randomBytes(32).toString('base64url')}`;
  await prisma.apiKey.create({ data: { name, role, keyHash: hashApiKey(key), technicianId } });
  return key;
}

declare module 'express-serve-static-core' {
  interface Request {
    apiKey?: { id: string; name: string; role: Role; technicianId: string | null };
  }
}

/** Requires `Authorization: Bearer <key>` with one of the roles (admin always passes). */
export function authenticate(prisma: Db): RequestHandler {
  return async (req, _res, next) => {
    const header = req.get('authorization') ?? '';
    const match = /^Bearer\s+(\S+)$/i.exec(header);
    if (!match) throw new HttpError(401, 'Unauthorized', 'An API key is required: Authorization: Bearer <key>');
    const key = await prisma.apiKey.findUnique({ where: { keyHash: hashApiKey(match[1]) } });
    if (!key || key.revokedAt) throw new HttpError(401, 'Unauthorized', 'Unknown or revoked API key');
    req.apiKey = { id: key.id, name: key.name, role: key.role, technicianId: key.technicianId };
    next();
  };
}

/** Lets the request through only for the given roles (and admin). */
export function allow(...roles: Role[]): RequestHandler {
  return (req, _res, next) => {
    const role = req.apiKey?.role;
    if (role === 'admin' || (role && roles.includes(role))) return next();
    throw new HttpError(403, 'Forbidden', `This action needs one of the roles: ${['admin', ...roles].join(', ')}`);
  };
}

/**
 * A key bound to a technician acts for that technician only: on the jobs assigned to them, in
 * their own name. Other keys (dispatchers, a field app acting for every technician) pass.
 */
export function actAs(req: Request, technicianId: string | null | undefined): void {
  const own = req.apiKey?.technicianId;
  if (own && technicianId !== own)
    throw new HttpError(403, 'Forbidden', "This key acts for its own technician only: this is another technician's job");
}

/** Roles that may read anything. */
export const readers: Role[] = ['operations', 'finance', 'dispatcher', 'technician', 'read_only'];
