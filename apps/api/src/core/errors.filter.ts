// Anything that is not an HTTP answer is our fault: the client gets a plain 500 and the log gets the error's
// name only, because driver and server messages can quote values, and values here are personal data. An outage of
// the database or Temporal is not: a 503 with Retry-After and a stable code (unavailable.ts).
import { ArgumentsHost, Catch, HttpException, Logger, type ExceptionFilter } from '@nestjs/common';
import type { Response } from 'express';
import { RETRY_AFTER_SECONDS, unavailableDependency } from './unavailable';

@Catch()
export class ErrorsFilter implements ExceptionFilter {
  private readonly logger = new Logger('http');

  catch(exception: unknown, host: ArgumentsHost): void {
    const res = host.switchToHttp().getResponse<Response>();
    if (exception instanceof HttpException) {
      const body = exception.getResponse();
      if (exception.getStatus() === 404 && isUnknownRoute(body)) {
        // Nest's own answer quotes the whole URL, and a URL can carry what was typed into it.
        res.status(404).json({ statusCode: 404, error: 'Not Found', message: 'no such route (see /api/docs)' });
        return;
      }
      res
        .status(exception.getStatus())
        .json(typeof body === 'string' ? { statusCode: exception.getStatus(), message: body } : body);
      return;
    }
    const unavailable = unavailableDependency(exception);
    if (unavailable) {
      this.logger.warn(`${unavailable}: answered 503`);
      res.setHeader('Retry-After', String(RETRY_AFTER_SECONDS));
      res.status(503).json({
        statusCode: 503,
        error: 'Service Unavailable',
        code: unavailable,
        message: `${unavailable === 'DATABASE_UNAVAILABLE' ? 'the database' : 'the workflow engine'} does not answer; try again in a moment`,
      });
      return;
    }
    const name = exception instanceof Error ? exception.name : typeof exception;
    this.logger.error(`unhandled ${name}`);
    res.status(500).json({ statusCode: 500, message: 'Internal server error' });
  }
}

function isUnknownRoute(body: unknown): boolean {
  const message = typeof body === 'string' ? body : (body as { message?: unknown }).message;
  return typeof message === 'string' && /^Cannot [A-Z]+ \//.test(message);
}
