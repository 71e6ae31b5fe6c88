// What comes before the DTOs: JSON bodies only, up to a size a whole playbook fits in, and the parser's refusals
// answered in the API's 400 shape. The parser's own messages quote the body, and the body is personal data.
import type { NextFunction, Request, Response } from 'express';

export const BODY_LIMIT = '1mb';

/** A request that carries a body must say it is JSON; anything else would reach the DTOs as an empty body. */
export function requireJsonBody(req: Request, res: Response, next: NextFunction): void {
  const length = Number(req.headers['content-length'] ?? 0);
  const carriesBody = length > 0 || req.headers['transfer-encoding'] !== undefined;
  if (carriesBody && !req.is('application/json')) {
    reply(res, 415, 'Content-Type', 'must be application/json');
    return;
  }
  next();
}

const REASONS: Record<string, string> = {
  'entity.parse.failed': 'is not valid JSON',
  'entity.too.large': `is larger than ${BODY_LIMIT}`,
  'charset.unsupported': 'must be UTF-8',
  'encoding.unsupported': 'has a Content-Encoding that is not supported (identity, gzip, deflate, br)',
};

/**
 * body-parser's refusals (http-errors with a 4xx status, marked for the client: a bad length, charset or encoding, a
 * body that does not inflate or parse) → the API's error shape, with a reason of ours; anything else goes on.
 */
export function bodyParserErrors(err: unknown, _req: Request, res: Response, next: NextFunction): void {
  const { status, type, expose } = (err ?? {}) as { status?: unknown; type?: unknown; expose?: unknown };
  if (typeof status !== 'number' || status < 400 || status > 499 || expose !== true) {
    next(err);
    return;
  }
  reply(res, status, 'body', (typeof type === 'string' && REASONS[type]) || 'could not be read');
}

function reply(res: Response, status: number, field: string, reason: string): void {
  const error =
    { 400: 'Bad Request', 413: 'Payload Too Large', 415: 'Unsupported Media Type' }[status] ?? 'Bad Request';
  res.status(status).json({ statusCode: status, error, message: `${field}: ${reason}`, errors: [{ field, reason }] });
}
