// Who acts on a request, and whether they may. Every route declares its action with @Can; one guard resolves the
// acting party and checks the action against the policy table (libs/domain/src/policy.ts); controllers receive the
// party with @Actor(). There is no authentication yet: the party is the agency named by the X-Agency header, which
// must exist. A token becomes the source here (resolveAgency and WHEN_UNNAMED); controllers and the table stay.
//
// A rule about a task or a queue (whose is it?) is decided by `authorize`, called by the service right after it has
// read that task or queue: guards run before the body is validated, and bad input is answered (400) before who
// may (403), as it is for every other route. The guard decides every rule that needs no resource.
import {
  ForbiddenException,
  Injectable,
  SetMetadata,
  applyDecorators,
  createParamDecorator,
  type CanActivate,
  type ExecutionContext,
} from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { ApiForbiddenResponse, ApiHeader } from '@nestjs/swagger';
import type { Request } from 'express';
import {
  AGENCY_CODE_PATTERN,
  POLICY,
  refusal,
  type Action,
  type Actor as ActingParty,
  type ResourceKind,
} from '../../../../libs/domain/src';
import { ReadRepository } from '../../../../libs/persistence/src';
import { badRequest } from './validation';

/** The acting party: the domain's Actor (libs/domain/src/policy.ts). */
export type Actor = ActingParty;

/** Who acts when a request names no agency, per action; goes once every request carries a token. */
type Unnamed =
  /** The route acts for nobody: the header is not read. */
  | { readonly kind: 'ignored' }
  /** Nobody, unless the header names an agency. */
  | { readonly kind: 'optional' }
  /** 400 without the header. */
  | { readonly kind: 'required'; readonly reason: string }
  /** Commands the operative steering group coordinates are recorded on its behalf. */
  | { readonly kind: 'agency'; readonly agency: string }
  /** The agency the task or queue belongs to. */
  | { readonly kind: 'owner' };

const IGNORED: Unnamed = { kind: 'ignored' };
const OPERATIVE_GROUP: Unnamed = { kind: 'agency', agency: 'OPERATIVE_GROUP' };
const OWNER: Unnamed = { kind: 'owner' };

export const WHEN_UNNAMED: { readonly [A in Action]: Unnamed } = {
  'health.check': IGNORED,
  'metrics.read': IGNORED,
  'agency.list': IGNORED,
  'queue.read': IGNORED,
  'queue.take': OWNER,
  // Only a repeated request's answer depends on who asks.
  'pathway.open': { kind: 'optional' },
  'pathway.list': { kind: 'required', reason: 'is required to read pathways' },
  'pathway.read': { kind: 'required', reason: 'is required to read pathways' },
  'pathway.timeline': { kind: 'required', reason: 'is required to read pathways' },
  'pathway.record-event': OPERATIVE_GROUP,
  'pathway.migrate-playbook': OPERATIVE_GROUP,
  'task.read': { kind: 'required', reason: 'is required to read a task' },
  'task.claim': OWNER,
  'task.unclaim': OWNER,
  'task.complete': OWNER,
  'task.reassign': OPERATIVE_GROUP,
  'task.extend': OPERATIVE_GROUP,
  'task.cancel': OPERATIVE_GROUP,
  'escalation.board': IGNORED,
  'escalation.resolve': OPERATIVE_GROUP,
  'playbook.list': IGNORED,
  'playbook.read': IGNORED,
  'playbook.publish': OPERATIVE_GROUP,
  'notification.dead-letters': IGNORED,
  'notification.requeue': IGNORED,
  'oversight.read': { kind: 'required', reason: 'is required to read aggregates' },
  'report.read': { kind: 'required', reason: 'is required to read reports' },
  'report.set-goals': { kind: 'required', reason: 'is required to set goals' },
};

export const CAN = 'exit-pathways:action';
const ACTOR = Symbol('actor');
type ActingRequest = Request & { [ACTOR]?: Actor };

function headerDescription(unnamed: Unnamed, on: ResourceKind | undefined): string {
  const base = 'The acting agency (until there is authentication), which must exist';
  switch (unnamed.kind) {
    case 'required':
      return `${base}; required`;
    case 'agency':
      return `${base}; ${unnamed.agency} when absent`;
    case 'owner':
      return `${base}; ${on === 'queue' ? 'the agency itself' : 'the task’s agency'} when absent`;
    default:
      return `${base}; a repeated request answers as that agency may see the pathway`;
  }
}

/** The action a route performs; the guard checks it, and the OpenAPI document shows the header and the 403. */
export function Can(action: Action): MethodDecorator {
  const rule = POLICY[action];
  const unnamed = WHEN_UNNAMED[action];
  const decorators: (ClassDecorator | MethodDecorator)[] = [SetMetadata(CAN, action)];
  if (unnamed.kind !== 'ignored') {
    decorators.push(
      ApiHeader({
        name: 'x-agency',
        required: unnamed.kind === 'required',
        description: headerDescription(unnamed, rule.on),
      }),
    );
  }
  if (rule.refuse) decorators.push(ApiForbiddenResponse({ description: `Only ${rule.who} may` }));
  return applyDecorators(...decorators);
}

/**
 * The acting party the guard resolved. Absent where the action needs none, and, until `authorize` decides, where the
 * request names no agency and the task's or queue's own agency acts (WHEN_UNNAMED).
 */
export const Actor = createParamDecorator(
  (_data: unknown, context: ExecutionContext): Actor | undefined =>
    context.switchToHttp().getRequest<ActingRequest>()[ACTOR],
);

@Injectable()
export class ActorGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly read: ReadRepository,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const action = this.reflector.get<Action | undefined>(CAN, context.getHandler());
    // A route that declares no action is refused, never let through (test/unit/policy.spec.ts finds none).
    if (action === undefined || !(action in POLICY)) throw new ForbiddenException('this route declares no action');
    const unnamed = WHEN_UNNAMED[action];
    if (unnamed.kind === 'ignored') return true;
    const req = context.switchToHttp().getRequest<ActingRequest>();
    const header = req.headers['x-agency'];
    let agency = header === undefined ? undefined : await this.resolveAgency(String(header));
    if (agency === undefined && unnamed.kind === 'required') {
      throw badRequest([{ field: 'X-Agency', reason: unnamed.reason }]);
    }
    if (agency === undefined && unnamed.kind === 'agency') agency = unnamed.agency;
    const actor = agency === undefined ? undefined : { agency };
    if (POLICY[action].on === undefined) {
      const why = refusal(action, actor);
      if (why !== undefined) throw new ForbiddenException(why);
    }
    req[ACTOR] = actor;
    return true;
  }

  /** The agency the header names, which must exist and be active. */
  private async resolveAgency(header: string): Promise<string> {
    // Only a well-formed code is quoted back: the header is free text until it is checked.
    if (!AGENCY_CODE_PATTERN.test(header)) {
      throw badRequest([{ field: 'X-Agency', reason: 'must be an agency code such as POLICE_EAS' }]);
    }
    const agency = await this.read.findAgency(header);
    if (!agency || !agency.active) throw badRequest([{ field: 'X-Agency', reason: `unknown agency '${header}'` }]);
    return agency.code;
  }
}

/**
 * Decides a rule about a task or a queue once its owner is known (the service has just read it), with the same table
 * as the guard: the acting party (the owner itself when the request named none), or 403 with the rule's reason.
 */
export function authorize(action: Action, named: Actor | undefined, owner: string): Actor {
  const actor = named ?? (WHEN_UNNAMED[action].kind === 'owner' ? { agency: owner } : undefined);
  const why = refusal(action, actor, owner);
  if (why !== undefined || actor === undefined) throw new ForbiddenException(why);
  return actor;
}
