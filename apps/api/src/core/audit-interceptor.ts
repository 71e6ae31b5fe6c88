// Writes the one audit row of a successful request whose service wrote none: every command, and the reads no service
// audits itself (audited-routes.ts says which route writes what). The row names the pathway the command was sent to
// (WorkflowCommands notes it for the request), or the route's pathway, or, when a command reached several pathways (a
// bulk assignment), none with their number. A request that wrote its row already is left as it is.
import { Injectable, type CallHandler, type ExecutionContext, type NestInterceptor } from '@nestjs/common';
import type { Request } from 'express';
import { from, mergeMap, type Observable } from 'rxjs';
import { isUuid } from '../../../../libs/domain/src';
import { auditRowsOfRequest, commandedPathways } from '../../../../libs/observability/src';
import { actorOf } from './actor';
import { AuditTrail } from './audit-trail';
import { ROUTE_AUDIT, documentRoute } from './audited-routes';

@Injectable()
export class AuditInterceptor implements NestInterceptor {
  constructor(private readonly trail: AuditTrail) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    if (context.getType() !== 'http') return next.handle();
    const req = context.switchToHttp().getRequest<Request>();
    return next.handle().pipe(mergeMap((body) => from(this.audited(req).then(() => body))));
  }

  private async audited(req: Request): Promise<void> {
    const actor = actorOf(req);
    const routePath = (req.route as { path?: unknown } | undefined)?.path;
    if (!actor || typeof routePath !== 'string' || auditRowsOfRequest() > 0) return;
    const rule = ROUTE_AUDIT[documentRoute(req.method, routePath)];
    if (!rule || 'none' in rule) return;
    if (rule.administration) {
      await this.trail.administration(actor, rule.action, paramsOf(req));
      return;
    }
    const id = typeof req.params.id === 'string' && isUuid(req.params.id) ? req.params.id : undefined;
    const sentTo = commandedPathways();
    const onTask = routePath.startsWith('/tasks/') ? id : undefined;
    const pathwayId = sentTo.length === 1 ? sentTo[0] : routePath.startsWith('/pathways/') ? id : undefined;
    if (pathwayId) {
      await this.trail.pathway(actor, rule.action, pathwayId, onTask);
      return;
    }
    await this.trail.list(actor, rule.action, {
      detail: paramsOf(req),
      ...(sentTo.length > 1 ? { itemCount: sentTo.length } : {}),
    });
  }
}

/** The route's own parameters (an agency code, a meeting id, a year): ids and codes, never a name. */
function paramsOf(req: Request): Record<string, string> | undefined {
  const entries = Object.entries(req.params ?? {}).filter((e): e is [string, string] => typeof e[1] === 'string');
  return entries.length > 0 ? Object.fromEntries(entries) : undefined;
}
