// What coordinators tell a running pathway: events that happened to the person, and a move to a newer playbook.
// Both are Temporal Updates whose validators re-check everything against the workflow's own state before anything
// reaches history; the checks here answer early from the read model and never contact Temporal for bad input.
import { ForbiddenException, Injectable, NotFoundException } from '@nestjs/common';
import {
  eventTypeRefusal,
  ageOn,
  migratePlaybookRefusal,
  recordEventRefusal,
  type Actor,
  type EventData,
  type Stage,
} from '../../../../libs/domain/src';
import { PlaybookRepository, ReadRepository } from '../../../../libs/persistence/src';
import { migratePlaybookUpdate, recordEventUpdate } from '../../../../workflows/pathway/messages';
import { WorkflowCommands, actorOf, refusalToHttp } from '../core/workflow-commands';
import type { MigratePlaybookDto, PathwayView, RecordEventDto } from './pathway.dto';
import { PathwaysService } from './pathways.service';

@Injectable()
export class PathwayCommandsService {
  constructor(
    private readonly commands: WorkflowCommands,
    private readonly playbooks: PlaybookRepository,
    private readonly pathways: PathwaysService,
    private readonly read: ReadRepository,
  ) {}

  async recordEvent(id: string, dto: RecordEventDto, key: string | undefined, actor: Actor): Promise<PathwayView> {
    // Who may record this type comes before whether the pathway takes it: a refused caller learns no stage.
    const forbidden = eventTypeRefusal(dto.type, actor.roles);
    if (forbidden) throw new ForbiddenException(forbidden);
    const pathway = await this.pathways.find(id);
    const recordedBy = actor.agency;
    const data = { ...dto.data, type: dto.type } as EventData;
    return this.commands.once(
      { pathwayId: id, key, request: { command: 'record-event', actor: actorOf(actor), dto } },
      {
        check: async () => {
          // The workflow's validator gives the same refusal (bad data, a release date long past, an event the stage
          // does not take, a fact given twice); the read model may lag the workflow by a moment, so the validator
          // has the last word. The person's age only where a rule needs it: Exit tracks are refused under 18.
          const birthDate = dto.type === 'ASSESSED' ? (await this.read.findPerson(id))?.birthDate : undefined;
          const facts = {
            stage: pathway.stage as Stage,
            hasReleaseDate: pathway.expectedReleaseAt !== null,
            consent: pathway.consent,
            ...(birthDate ? { age: ageOn(birthDate, new Date()) } : {}),
          };
          const refusal = recordEventRefusal(facts, dto.type, dto.data, new Date());
          if (refusal) throw refusalToHttp(refusal, 'data');
        },
        run: async (updateId) => {
          await this.commands.send(id, 'data', (handle) =>
            handle.executeUpdate(recordEventUpdate, {
              args: [{ occurredAt: dto.occurredAt, recordedBy, recordedByRoles: actor.roles, data }],
              ...(updateId ? { updateId } : {}),
            }),
          );
          return this.pathways.viewFor(id, actor);
        },
        repeated: () => this.pathways.auditRepeat(id, actor),
      },
    );
  }

  async migratePlaybook(
    id: string,
    dto: MigratePlaybookDto,
    key: string | undefined,
    actor: Actor,
  ): Promise<PathwayView> {
    const pathway = await this.pathways.find(id);
    const stored = await this.playbooks.find(dto.version);
    if (!stored) throw new NotFoundException(`no playbook version ${dto.version}`);
    return this.commands.once(
      { pathwayId: id, key, request: { command: 'migrate-playbook', actor: actorOf(actor), dto } },
      {
        check: () => {
          // Against the read model first; the workflow's validator, which knows the version it runs, has the last
          // word.
          const refusal = migratePlaybookRefusal(
            { stage: pathway.stage as Stage, playbookVersion: pathway.playbookVersion },
            { playbook: stored.definition, reason: dto.reason },
          );
          if (refusal) throw refusalToHttp(refusal, 'reason');
        },
        run: async (updateId) => {
          await this.commands.send(id, 'reason', (handle) =>
            handle.executeUpdate(migratePlaybookUpdate, {
              args: [
                {
                  playbook: stored.definition,
                  reason: dto.reason.trim(),
                  requestedBy: actor.agency,
                  requestedByRoles: actor.roles,
                },
              ],
              ...(updateId ? { updateId } : {}),
            }),
          );
          return this.pathways.viewFor(id, actor);
        },
        repeated: () => this.pathways.auditRepeat(id, actor),
      },
    );
  }
}
