// Takes the back-pressure slot of a pathway start or a command (back-pressure.ts) once the guards have let it through:
// a request without a good token, or one the person may not make, is answered 401 or 403 whatever is in flight.
import { Injectable, type CallHandler, type ExecutionContext, type NestInterceptor } from '@nestjs/common';
import type { Request, Response } from 'express';
import type { Observable } from 'rxjs';
import { ApiMetrics } from '../observability/api-metrics';
import { isCommandRoute, OVERLOADED_RETRY_AFTER_SECONDS } from './back-pressure';
import { RetryLaterException } from './unavailable';

/**
 * A slot per command request, given back when the answer is sent (by the handler or, for an error, the errors filter)
 * or the client goes away; beyond the limit a 503 OVERLOADED with Retry-After (errors.filter.ts writes it). Registered
 * before the audit interceptor, so a refused command is answered before anything else runs.
 */
@Injectable()
export class BackPressureInterceptor implements NestInterceptor {
  constructor(private readonly metrics: ApiMetrics) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    if (context.getType() !== 'http') return next.handle();
    const http = context.switchToHttp();
    const req = http.getRequest<Request>();
    if (!isCommandRoute(req.method, req.path)) return next.handle();
    const leave = this.metrics.inFlight.tryEnter();
    if (!leave) {
      throw new RetryLaterException(
        { code: 'OVERLOADED', message: 'too many commands are being processed; try again in a moment' },
        OVERLOADED_RETRY_AFTER_SECONDS,
      );
    }
    const res = http.getResponse<Response>();
    res.once('finish', leave);
    res.once('close', leave);
    // A client gone while its body was read or its token checked: 'close' has been and will not come again.
    if (res.destroyed) leave();
    return next.handle();
  }
}
