// Every route declares the action it performs, and the one policy table (libs/domain/src/policy.ts) decides who may:
// a new route without an action fails here before it can answer anyone.
import type { Logger } from 'pino';
import 'reflect-metadata';
import { METHOD_METADATA, PATH_METADATA } from '@nestjs/common/constants';
import { RequestMethod, type DynamicModule, type Type } from '@nestjs/common';
import { AppModule } from '../../apps/api/src/app.module';
import type { ApiConfig } from '../../apps/api/src/config';
import { CAN } from '../../apps/api/src/core/actor';
import { ACTIONS, OVERSIGHT_AGENCIES, POLICY, may, refusal, type Action } from '../../libs/domain/src';

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

describe('the policy table', () => {
  const og = { agency: 'OPERATIVE_GROUP' };
  const eas = { agency: 'POLICE_EAS' };
  const jobcenter = { agency: 'JOBCENTER' };

  it.each<[Action]>([['pathway.list'], ['pathway.read'], ['pathway.timeline'], ['pathway.migrate-playbook']])(
    '%s is for the coordinators and steering groups only',
    (action) => {
      expect(OVERSIGHT_AGENCIES.filter((agency) => !may(action, { agency }))).toEqual([]);
      expect(refusal(action, jobcenter)).toMatch(/OPERATIVE_GROUP, SIKKER_BY, POLICE_EAS/);
    },
  );

  it('playbooks are published by the coordinators and steering groups', () => {
    expect([may('playbook.publish', eas), may('playbook.publish', jobcenter)]).toEqual([true, false]);
    expect(refusal('playbook.publish', jobcenter)).toBe(
      'playbooks are published by OPERATIVE_GROUP, SIKKER_BY, POLICE_EAS',
    );
  });

  it('a task is read by its agency and the overseers, and worked by its agency', () => {
    expect(may('task.read', { agency: 'SSP' }, 'SSP')).toBe(true);
    expect(may('task.read', eas, 'SSP')).toBe(true);
    expect(refusal('task.read', jobcenter, 'SSP')).toBe('the task belongs to SSP');
    expect(may('task.complete', { agency: 'SSP' }, 'SSP')).toBe(true);
    expect(refusal('task.complete', og, 'SSP')).toBe('the task belongs to SSP');
    expect(refusal('task.claim', eas, 'SSP')).toBe('the task belongs to SSP');
  });

  it('the operative group also unclaims, and alone reassigns, extends, cancels and resolves', () => {
    expect([may('task.unclaim', og, 'SSP'), may('task.unclaim', eas, 'SSP')]).toEqual([true, false]);
    for (const action of ['task.reassign', 'task.extend', 'task.cancel', 'escalation.resolve'] as const) {
      expect({ action, og: may(action, og), eas: may(action, eas) }).toEqual({ action, og: true, eas: false });
    }
    expect(refusal('task.cancel', eas)).toBe('only the operative group may cancel a task');
  });

  it('an agency takes work from its own queue only', () => {
    expect(may('queue.take', { agency: 'EKI' }, 'EKI')).toBe(true);
    expect(refusal('queue.take', { agency: 'SSP' }, 'EKI')).toBe('only EKI may take work from its queue');
  });

  it('a rule about a resource refuses without one; an open rule needs nobody', () => {
    expect(may('task.read', eas)).toBe(false);
    expect(may('pathway.record-event', undefined)).toBe(false);
    expect(may('pathway.record-event', jobcenter)).toBe(true);
    expect(may('health.check', undefined)).toBe(true);
  });
});
