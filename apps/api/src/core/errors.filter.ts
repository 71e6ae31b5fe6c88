// Anything that is not an HTTP answer is our fault: the client gets a plain 500 and the log gets the error's
// name only, because driver and server messages can quote values, and values here are personal data. An outage of
// the database or Temporal is not: a 503 with Retry-After and a stable code (unavailable.ts). A signed-in person's
// refused attempt (403, from the guard or a service's `authorize`) is written to the audit trail before the answer.
import { ArgumentsHost, Catch, ForbiddenException, HttpException, Logger, type ExceptionFilter } from '@nestjs/common';
import type { Request, Response } from 'express';
import { actionOf, actorOf } from './actor';
import type { AuditTrail } from './audit-trail';
import { RETRY_AFTER_SECONDS, RetryLaterException, unavailableDependency } from './unavailable';

@Catch()
export class ErrorsFilter implements ExceptionFilter {
  private readonly logger = new Logger('http');

  constructor(private readonly trail?: AuditTrail) {}

  async catch(exception: unknown, host: ArgumentsHost): Promise<void> {
    const res = host.switchToHttp().getResponse<Response>();
    if (exception instanceof ForbiddenException) await this.auditRefusal(host.switchToHttp().getRequest(), exception);
    if (exception instanceof HttpException) {
      const body = exception.getResponse();
      if (exception instanceof RetryLaterException) res.setHeader('Retry-After', String(exception.retryAfterSeconds));
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

  /** Refused stays refused if the row cannot be written (the database is down): the 403 goes out, the log says so. */
  private async auditRefusal(req: Request, exception: ForbiddenException): Promise<void> {
    const actor = actorOf(req);
    const action = actionOf(req);
    if (!this.trail || !actor || !action) return;
    const id = typeof req.params?.id === 'string' ? req.params.id : undefined;
    // A person's id is their pathway's.
    const on = req.path.startsWith('/tasks/')
      ? { taskId: id }
      : /^\/(pathways|persons)\//.test(req.path)
        ? { pathwayId: id }
        : {};
    try {
      await this.trail.refused(actor, action, reasonOf(exception), on);
    } catch (error) {
      this.logger.error(`refused ${action} not audited: ${error instanceof Error ? error.name : typeof error}`);
    }
  }
}

/** The policy's reason, as the 403 says it. */
function reasonOf(exception: ForbiddenException): string {
  const body = exception.getResponse();
  const message = typeof body === 'string' ? body : (body as { message?: unknown }).message;
  return typeof message === 'string' ? message : 'refused';
}

function isUnknownRoute(body: unknown): boolean {
  const message = typeof body === 'string' ? body : (body as { message?: unknown }).message;
  return typeof message === 'string' && /^Cannot [A-Z]+ \//.test(message);
}
