import type { ErrorRequestHandler, RequestHandler } from 'express';
import {
  ServiceError,
  WorkflowExecutionAlreadyStartedError,
  WorkflowNotFoundError,
  WorkflowUpdateFailedError,
  WorkflowUpdateRPCTimeoutOrCancelledError,
} from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import { z } from 'zod';
import type { Logger } from '../infra/logger';

export interface FieldError {
  path: string;
  message: string;
}

/** An error the API answers as an RFC 9457 problem details document. */
export class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly title: string,
    readonly detail?: string,
    readonly errors?: FieldError[],
  ) {
    super(detail ?? title);
  }
}

export const notFound = (what: string) => new HttpError(404, 'Not Found', `${what} not found`);
export const conflict = (detail: string) => new HttpError(409, 'Conflict', detail);

/** Parses with zod or throws a 400 naming every field at fault. */
export function parse<S extends z.ZodType>(schema: S, data: unknown, where = 'body'): z.infer<S> {
  const result = schema.safeParse(data);
  if (!result.success) {
    throw new HttpError(
      400,
      'Bad Request',
      `Invalid ${where}`,
      result.error.issues.map((i) => ({ path: [where, ...i.path.map(String)].join('.'), message: i.message })),
    );
  }
  return result.data;
}

function send(res: Parameters<ErrorRequestHandler>[2], err: HttpError, instance: string): void {
  res
    .status(err.status)
    .type('application/problem+json')
    .json({
      type: 'about:blank',
      title: err.title,
      status: err.status,
      detail: err.detail,
      instance,
      ...(err.errors ? { errors: err.errors } : {}),
    });
}

/** 404 for routes nobody serves. */
export const unknownRoute: RequestHandler = (req, _res, next) =>
  next(new HttpError(404, 'Not Found', `No route for ${req.method} ${req.path}`));

/** Turns a Temporal update rejection (validator or handler failure) into a 409 with its message. */
function fromTemporal(err: unknown): HttpError | undefined {
  if (err instanceof WorkflowNotFoundError) {
    // The record was found first: a process that is gone has finished its work.
    return /already completed/i.test(err.message)
      ? new HttpError(409, 'Conflict', 'This process has finished: it takes no more requests')
      : new HttpError(404, 'Not Found', 'Process not found');
  }
  if (err instanceof ServiceError || err instanceof WorkflowUpdateRPCTimeoutOrCancelledError) {
    return new HttpError(503, 'Service Unavailable', 'The process engine did not answer in time; try again in a moment');
  }
  if (err instanceof WorkflowExecutionAlreadyStartedError) return new HttpError(409, 'Conflict', 'Process already started');
  if (err instanceof WorkflowUpdateFailedError) {
    const cause = err.cause;
    const message = cause instanceof ApplicationFailure ? cause.message : 'The process refused this request';
    return new HttpError(409, 'Conflict', message);
  }
  return undefined;
}

/** The one error middleware: problem details, never internals. */
export function errorHandler(logger: Logger): ErrorRequestHandler {
  return (err, req, res, _next) => {
    if (err instanceof HttpError) return send(res, err, req.originalUrl);
    const body = err as { type?: string; status?: number };
    if (body?.type === 'entity.too.large')
      return send(res, new HttpError(413, 'Content Too Large', 'Request body too large'), req.originalUrl);
    if (body?.type === 'entity.parse.failed' || body?.type === 'encoding.unsupported' || body?.type === 'charset.unsupported') {
      return send(res, new HttpError(400, 'Bad Request', 'Body is not valid JSON'), req.originalUrl);
    }
    if (typeof body?.status === 'number' && body.status >= 400 && body.status < 500) {
      return send(res, new HttpError(body.status, 'Bad Request', 'Malformed request'), req.originalUrl);
    }
    const temporal = fromTemporal(err);
    if (temporal) return send(res, temporal, req.originalUrl);
    // A unique constraint refused a write that raced another request: the record exists already.
    if ((err as { code?: string }).code === 'P2002') {
      return send(res, new HttpError(409, 'Conflict', 'A concurrent request already made this change'), req.originalUrl);
    }
    // Approval links carry their token in the path: never log it.
    logger.error({ err, path: req.originalUrl.replace(/\/approvals\/[^/?]+/, '/approvals/[token]') }, 'unhandled error');
    send(res, new HttpError(500, 'Internal Server Error', 'Something went wrong; it has been logged.'), req.originalUrl);
  };
}
