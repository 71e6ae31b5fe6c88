// Every route declares the action it performs, and the one policy table (libs/domain/src/policy.ts) decides who may:
// a new route without an action fails here before it can answer anyone.
import type { Logger } from 'pino';
import 'reflect-metadata';
import { METHOD_METADATA, PATH_METADATA } from '@nestjs/common/constants';
import { RequestMethod, type DynamicModule, type Type } from '@nestjs/common';
import { AppModule } from '../../apps/api/src/app.module';
import type { ApiConfig } from '../../apps/api/src/config';
import { CAN } from '../../apps/api/src/core/actor';
import {
  ACTIONS,
  POLICY,
  ROLES,
  eventTypeRefusal,
  may,
  refusal,
  roleRefusal,
  type Action,
  type Actor,
  type AgencyKind,
  type Role,
} from '../../libs/domain/src';
import { TestPathway } from '../support/machine';

/** Every controller of the API, found the way Nest finds them: through the modules AppModule imports. */
function controllers(): Type[] {
  const found = new Set<Type>();
  const seen = new Set<unknown>();
  const visit = (entry: Type | DynamicModule) => {
    const module = 'module' in entry ? entry.module : entry;
    if (seen.has(entry)) return;
    seen.add(entry);
    const own: Type[] = [
      ...((Reflect.getMetadata('controllers', module) as Type[] | undefined) ?? []),
      ...('module' in entry ? (entry.controllers ?? []) : []),
    ];
    own.forEach((c) => found.add(c));
    const imports = [
      ...((Reflect.getMetadata('imports', module) as (Type | DynamicModule)[] | undefined) ?? []),
      ...('module' in entry ? ((entry.imports ?? []) as (Type | DynamicModule)[]) : []),
    ];
    imports.forEach(visit);
  };
  visit(AppModule.forRoot({} as ApiConfig, {} as Logger));
  return [...found];
}

interface Route {
  route: string;
  action: unknown;
}

function routes(): Route[] {
  return controllers().flatMap((controller) => {
    const base = Reflect.getMetadata(PATH_METADATA, controller) as string;
    const prototype = controller.prototype as Record<string, unknown>;
    return Object.getOwnPropertyNames(prototype)
      .filter((name) => name !== 'constructor')
      .map((name) => prototype[name])
      .filter((handler): handler is object => typeof handler === 'function')
      .filter((handler) => Reflect.getMetadata(PATH_METADATA, handler) !== undefined)
      .map((handler) => {
        const method = RequestMethod[Reflect.getMetadata(METHOD_METADATA, handler) as number];
        const path = Reflect.getMetadata(PATH_METADATA, handler) as string;
        return {
          route: `${method} /${[base, path].filter((p) => p && p !== '/').join('/')}`,
          action: Reflect.getMetadata(CAN, handler) as unknown,
        };
      });
  });
}

describe('every route declares its action', () => {
  const all = routes();

  it('finds the routes of every controller', () => {
    expect(all.map((r) => r.route)).toEqual(
      expect.arrayContaining(['GET /pathways/:id', 'POST /tasks/:id/complete', 'GET /health', 'POST /playbooks']),
    );
    expect(all.length).toBeGreaterThanOrEqual(22);
  });

  it('each route names an action of the policy table', () => {
    const without = all.filter((r) => typeof r.action !== 'string' || !(r.action in POLICY)).map((r) => r.route);
    expect(without).toEqual([]);
  });

  it('every action of the table is some route’s', () => {
    const used = new Set(all.map((r) => r.action));
    expect(ACTIONS.filter((a) => !used.has(a))).toEqual([]);
  });
});

describe('the policy table: roles × actions × conditions, deny by default', () => {
  const person = (agency: string, roles: Role[], agencyKind: AgencyKind = 'PARTNER'): Actor => ({
    userId: `${agency}-${roles.join('-')}`,
    displayName: 'Demo',
    agency,
    agencyKind,
    roles,
  });
  const coordinator = person('POLICE_EAS', ['COORDINATOR']);
  const og = person('OPERATIVE_GROUP', ['OPERATIVE_GROUP']);
  const ssp = person('SSP', ['CASEWORKER']);
  const jobcenter = person('JOBCENTER', ['CASEWORKER']);
  const steering = person('SIKKER_BY', ['STEERING']);
  const manager = person('EKI', ['MANAGER']);
  const auditor = person('SIKKER_BY', ['AUDITOR']);
  const admin = person('POLICE_EAS', ['ADMIN']);
  const external = person('BOLIGFORENING', ['CASEWORKER'], 'EXTERNAL');

  it('every role is refused every action no rule gives it', () => {
    for (const action of ACTIONS) {
      const rule = POLICY[action];
      for (const role of ROLES) {
        const allowed = rule.public === true || rule.roles.includes(role);
        expect({ action, role, may: roleRefusal(action, person('EKI', [role])) === undefined }).toEqual({
          action,
          role,
          may: allowed,
        });
      }
    }
  });

  it('nobody signed in may only reach the public routes', () => {
    expect(ACTIONS.filter((action) => may(action, undefined))).toEqual(['health.check', 'metrics.read']);
    expect(refusal('pathway.read', undefined)).toBe('sign in');
  });

  it.each<[Action]>([['pathway.list'], ['pathway.read'], ['pathway.timeline']])(
    '%s is for the coordinators and the operative group: never a caseworker, steering, a manager, an auditor, an administrator',
    (action) => {
      expect([coordinator, og].map((actor) => may(action, actor))).toEqual([true, true]);
      expect([ssp, steering, manager, auditor, admin].map((actor) => may(action, actor))).toEqual([
        false,
        false,
        false,
        false,
        false,
      ]);
    },
  );

  it('a queue is read by its own agency and the overseers, and taken from by its own agency only', () => {
    expect(may('queue.read', ssp, 'SSP')).toBe(true);
    expect(may('queue.read', coordinator, 'SSP')).toBe(true);
    expect(refusal('queue.read', jobcenter, 'SSP')).toBe('this is not for your agency');
    expect(may('queue.take', ssp, 'SSP')).toBe(true);
    expect(may('queue.take', coordinator, 'SSP')).toBe(false);
    expect(may('queue.read', external, 'BOLIGFORENING')).toBe(true);
  });

  it('a task is read by its agency and the overseers and worked by its agency; the refusal names no agency', () => {
    expect(may('task.read', ssp, 'SSP')).toBe(true);
    expect(may('task.read', og, 'SSP')).toBe(true);
    expect(refusal('task.read', jobcenter, 'SSP')).toBe('this is not for your agency');
    expect(may('task.complete', ssp, 'SSP')).toBe(true);
    expect(refusal('task.complete', og, 'SSP')).toBe('this is not for your agency');
    expect(may('task.read', steering, 'SIKKER_BY')).toBe(false);
  });

  it('hold, resume and working notes are the task’s agency’s alone; its history is read as the task is', () => {
    for (const action of ['task.hold', 'task.resume', 'task.notes'] as const) {
      expect({
        action,
        allowed: [ssp, og, coordinator, jobcenter].map((actor) => may(action, actor, 'SSP')),
      }).toEqual({ action, allowed: [true, false, false, false] });
    }
    expect([ssp, og, coordinator, jobcenter].map((actor) => may('task.history', actor, 'SSP'))).toEqual([
      true,
      true,
      true,
      false,
    ]);
  });

  it('the operative group alone unclaims others’ tasks, reassigns, extends, cancels, resolves and sees the board', () => {
    expect([may('task.unclaim', og, 'SSP'), may('task.unclaim', coordinator, 'SSP')]).toEqual([true, false]);
    for (const action of [
      'task.reassign',
      'task.extend',
      'task.cancel',
      'escalation.resolve',
      'escalation.board',
    ] as const) {
      expect({ action, og: may(action, og), coordinator: may(action, coordinator), ssp: may(action, ssp) }).toEqual({
        action,
        og: true,
        coordinator: false,
        ssp: false,
      });
    }
  });

  it('a pathway is opened for a contact at the opener’s own agency', () => {
    expect(may('pathway.open', ssp, 'SSP')).toBe(true);
    expect(refusal('pathway.open', ssp, 'POLICE_LOCAL')).toBe('contact.sourceAgency must be your agency');
    expect(may('pathway.open', og, 'OPERATIVE_GROUP')).toBe(false);
    expect(may('pathway.open', external, 'BOLIGFORENING')).toBe(false);
  });

  it('external partners never reach personal data, whatever their role', () => {
    const personal = ACTIONS.filter((action) => POLICY[action].personal);
    expect(personal).toEqual(expect.arrayContaining(['pathway.open', 'pathway.read', 'pathway.record-event']));
    for (const action of personal) expect(roleRefusal(action, external)).toBeDefined();
  });

  it('the audit trail, its verification and a person’s access report are for the auditors only', () => {
    for (const action of ['audit.read', 'audit.verify', 'person.access-report'] as const) {
      expect({
        action,
        allowed: [auditor, coordinator, og, ssp, steering, manager, admin].map((actor) => may(action, actor)),
      }).toEqual({ action, allowed: [true, false, false, false, false, false, false] });
    }
    // The auditor reads the trail, never a pathway itself.
    expect(may('pathway.read', auditor)).toBe(false);
  });

  it('dead letters and requeue are for administrators only', () => {
    for (const action of ['notification.dead-letters', 'notification.requeue'] as const) {
      expect([admin, coordinator, og, ssp].map((actor) => may(action, actor))).toEqual([true, false, false, false]);
    }
  });

  it('the events that decide about the person are a coordinator’s to record', () => {
    for (const type of ['ASSESSED', 'CONSENT_GIVEN', 'CONSENT_WITHDRAWN', 'MOTIVATION_ASSESSED', 'CLOSED'] as const) {
      expect(eventTypeRefusal(type, ['COORDINATOR'])).toBeUndefined();
      expect(eventTypeRefusal(type, ['CASEWORKER', 'OPERATIVE_GROUP'])).toBe(`only a coordinator may record ${type}`);
    }
    expect(eventTypeRefusal('ARRESTED', ['CASEWORKER'])).toBeUndefined();
  });
});

describe('the workflow’s validators check the same table from the roles a command carries', () => {
  const open = () => new TestPathway({ age: 16 });
  const now = '2027-03-01T09:00:00Z';

  it('refuses CLOSED sent with a caseworker’s roles, and takes it from a coordinator', () => {
    const pathway = open();
    const closed = { type: 'CLOSED', outcome: 'DECEASED' } as const;
    const refusal = pathway.machine.refuseRecordEvent({
      occurredAt: now,
      recordedBy: 'KRIMINALFORSORGEN',
      recordedByRoles: ['CASEWORKER'],
      data: closed,
    });
    expect(refusal).toEqual({ type: 'NotAllowed', message: 'only a coordinator may record CLOSED' });
    const byCoordinator = { occurredAt: now, recordedBy: 'POLICE_EAS', recordedByRoles: ['COORDINATOR'] as const };
    expect(pathway.machine.refuseRecordEvent({ ...byCoordinator, data: closed })).toBeUndefined();
  });

  it('refuses the operative group’s commands sent without its role, whatever agency they name', () => {
    const pathway = open();
    const task = pathway.status().tasks[0];
    const command = { taskId: task.id, requestedBy: 'OPERATIVE_GROUP', reason: 'x' };
    expect(pathway.machine.refuseCancelTask({ ...command, requestedByRoles: ['COORDINATOR'] })).toEqual({
      type: 'NotAllowed',
      message: 'only the operative group may do this',
    });
    expect(pathway.machine.refuseCancelTask({ ...command, requestedByRoles: ['OPERATIVE_GROUP'] })).toBeUndefined();
  });

  it('lets commands recorded before sign-in, which carry no roles, replay as they were', () => {
    const pathway = open();
    const task = pathway.status().tasks[0];
    expect(
      pathway.machine.refuseCancelTask({ taskId: task.id, requestedBy: 'OPERATIVE_GROUP', reason: 'x' }),
    ).toBeUndefined();
    expect(
      pathway.machine.refuseRecordEvent({
        occurredAt: now,
        recordedBy: 'KRIMINALFORSORGEN',
        data: { type: 'CLOSED', outcome: 'DECEASED' },
      }),
    ).toBeUndefined();
  });
});
