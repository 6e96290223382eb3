import pino from 'pino';

export type Logger = pino.Logger;

/** JSON logs on stdout; secrets in headers never reach them. */
export function createLogger(level: string, name: string): Logger {
  return pino({
    name,
    level,
    redact: { paths: ['req.headers.authorization', 'token', '*.token'], censor: '[redacted]' },
  });
}
