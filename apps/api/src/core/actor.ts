// Who acts on a request, and whether they may. Every route declares its action with @Can; one guard verifies the
// bearer token (apps/api/src/auth/token-verifier.ts), makes the signed-in person the acting party (and a known user,
// apps/api/src/auth/known-users.ts), and checks the action against the policy table (libs/domain/src/policy.ts);
// controllers receive the person with @Actor(). A request without a valid token (a public route, a refused token)
// counts against its address's budget (apps/api/src/core/anonymous-limiter.ts); a person's own budget is counted
// next (CallerThrottlerGuard).
//
// Authority comes before state: the guard decides every rule by roles, and the rules about a queue (the route's
// `:code`) outright. A rule about a task (whose is it?) or a new pathway's source agency is decided by `authorize`,
// called by the service right after it has read the task or the body and before it looks at anything else, so a
// refused caller learns no stage or task state (403 before 409).
import {
  ForbiddenException,
  HttpException,
  Injectable,
  SetMetadata,
  applyDecorators,
  createParamDecorator,
  type CanActivate,
  type ExecutionContext,
} from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { ApiBearerAuth, ApiExtension, ApiForbiddenResponse, ApiUnauthorizedResponse } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { POLICY, refusal, roleRefusal, type Action, type Actor as ActingParty } from '../../../../libs/domain/src';
import { principalOf } from '../auth/bearer';
import { KnownUsers } from '../auth/known-users';
import { TokenVerifier } from '../auth/token-verifier';
import { AnonymousLimiter } from './anonymous-limiter';

/** The acting party: the signed-in person (libs/domain/src/policy.ts's Actor). */
export type Actor = ActingParty;

export const CAN = 'exit-pathways:action';
const ACTOR = Symbol('actor');
const ACTION = Symbol('action');
type ActingRequest = Request & { [ACTOR]?: Actor; [ACTION]?: Action };

/** The person the guard signed in for this request, if any (the rate limit counts per person). */
export function actorOf(request: unknown): Actor | undefined {
  return (request as ActingRequest)[ACTOR];
}

/** The action the request's route performs, once the guard has read it (a refusal is audited under it). */
export function actionOf(request: unknown): Action | undefined {
  return (request as ActingRequest)[ACTION];
}

/** The action a route performs; the guard checks it, and the OpenAPI document shows the bearer scheme, 401 and 403. */
export function Can(action: Action): MethodDecorator {
  const rule = POLICY[action];
  // The action is in the OpenAPI document too, so the access matrix test (test/integration/access/access-matrix.ts)
  // can check every route it lists against the policy table.
  const decorators: (ClassDecorator | MethodDecorator)[] = [SetMetadata(CAN, action), ApiExtension('x-action', action)];
  if (!rule.public) {
    decorators.push(
      ApiBearerAuth(),
      ApiUnauthorizedResponse({ description: 'No bearer token, or one that is expired, tampered or not for this API' }),
      ApiForbiddenResponse({ description: `Only ${rule.who} may call this` }),
    );
  }
  return applyDecorators(...decorators);
}

/** The signed-in person the guard resolved; every route that is not public has one. */
export const Actor = createParamDecorator(
  (_data: unknown, context: ExecutionContext): Actor | undefined =>
    context.switchToHttp().getRequest<ActingRequest>()[ACTOR],
);

@Injectable()
export class ActorGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly verifier: TokenVerifier,
    private readonly anonymous: AnonymousLimiter,
    private readonly known: KnownUsers,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const action = this.reflector.get<Action | undefined>(CAN, context.getHandler());
    // A route that declares no action is refused, never let through (test/unit/policy.spec.ts finds none).
    if (action === undefined || !(action in POLICY)) throw new ForbiddenException('this route declares no action');
    const rule = POLICY[action];
    const http = context.switchToHttp();
    const req = http.getRequest<ActingRequest>();
    const res = http.getResponse<Response>();
    if (rule.public) {
      await this.anonymous.count(req, res);
      return true;
    }
    req[ACTION] = action;
    const actor = await this.signIn(req, res);
    req[ACTOR] = actor;
    this.known.seen(actor);
    const byRole = roleRefusal(action, actor);
    if (byRole !== undefined) throw new ForbiddenException(byRole);
    if (rule.on === 'queue') {
      const why = refusal(action, actor, String(req.params.code ?? ''));
      if (why !== undefined) throw new ForbiddenException(why);
    }
    return true;
  }

  /** The person behind the token; a refused token counts against the address (429 once past its budget). */
  private async signIn(req: ActingRequest, res: Response): Promise<Actor> {
    try {
      return await principalOf(this.verifier, req, res);
    } catch (err) {
      if (err instanceof HttpException && err.getStatus() === 401) await this.anonymous.count(req, res);
      throw err;
    }
  }
}

/**
 * Decides a rule about a task or a new pathway's source once its owner is known (the service has just read it), with
 * the same table as the guard: the acting person, or 403 with the rule's reason (which never names the owner).
 */
export function authorize(action: Action, actor: Actor | undefined, owner: string): Actor {
  const why = refusal(action, actor, owner);
  if (why !== undefined || actor === undefined) throw new ForbiddenException(why ?? 'sign in');
  return actor;
}

/**
 * Whose name work is taken in: always the caller's own user id (the token's subject). An `assignee` in the body is
 * accepted only when it is that id (clients written before this rule send it); work for someone else is a team
 * lead's assignment (POST /tasks/:id/assign), so another id is a 403.
 */
export function ownAssignee(actor: Actor, given: string | undefined): string {
  if (given !== undefined && given.trim() !== actor.userId) {
    throw new ForbiddenException(
      'work is taken in your own name (assignee, if sent, must be your user id); a team lead assigns with POST /tasks/{id}/assign',
    );
  }
  return actor.userId;
}
