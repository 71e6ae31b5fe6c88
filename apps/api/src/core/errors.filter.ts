// Anything that is not an HTTP answer is our fault: the client gets a plain 500 and the log gets the error's
// name only, because driver and server messages can quote values, and values here are personal data.
import { ArgumentsHost, Catch, HttpException, Logger, type ExceptionFilter } from '@nestjs/common';
import type { Response } from 'express';

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
    const name = exception instanceof Error ? exception.name : typeof exception;
    this.logger.error(`unhandled ${name}`);
    res.status(500).json({ statusCode: 500, message: 'Internal server error' });
  }
}

function isUnknownRoute(body: unknown): boolean {
  const message = typeof body === 'string' ? body : (body as { message?: unknown }).message;
  return typeof message === 'string' && /^Cannot [A-Z]+ \//.test(message);
}
