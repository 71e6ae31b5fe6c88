// What coordinators tell a running pathway: events that happened to the person, and a move to a newer playbook.
// Both are Temporal Updates whose validators re-check everything against the workflow's own state before anything
// reaches history; the checks here answer early from the read model and never contact Temporal for bad input.
import { ConflictException, ForbiddenException, Injectable, NotFoundException } from '@nestjs/common';
import {
  OVERSIGHT_AGENCIES,
  eventDataProblems,
  eventRefusal,
  releaseInstant,
  type EventData,
  type Stage,
} from '../../../../libs/domain/src';
import { migratePlaybookUpdate, recordEventUpdate } from '../../../../workflows/pathway/messages';
import { ReadRepository } from '../../../../libs/persistence/src';
import { badRequest } from '../core/validation';
import { WorkflowCommands } from '../core/workflow-commands';
import type { MigratePlaybookDto, PathwayView, RecordEventDto } from './pathway.dto';
import { PathwaysService } from './pathways.service';

/**
 * Who acts when a request names no agency. There is no authentication yet; until there is, commands are recorded
 * on behalf of the operative steering group, which coordinates the pathways.
 */
export const DEFAULT_ACTING_AGENCY = 'OPERATIVE_GROUP';

/** A bare date is 09:00 on the day: a date recorded later that day is still "today". */
const RELEASE_PAST_TOLERANCE_MS = 24 * 3600_000;

@Injectable()
export class PathwayCommandsService {
  constructor(
    private readonly commands: WorkflowCommands,
    private readonly read: ReadRepository,
    private readonly pathways: PathwaysService,
  ) {}

  async recordEvent(id: string, dto: RecordEventDto, agencyHeader: string | undefined): Promise<PathwayView> {
    const pathway = await this.pathways.find(id);
    const recordedBy = await this.commands.actingAgency(agencyHeader, DEFAULT_ACTING_AGENCY);
    const problems = eventDataProblems(dto.type, dto.data);
    if (problems.length > 0) throw badRequest(problems);
    // A release long past is a typing error, or a release that happened: either would start release planning with
    // every deadline already missed and escalated.
    const release = (dto.data as { expectedReleaseDate?: string } | undefined)?.expectedReleaseDate;
    if (release !== undefined && releaseInstant(release).getTime() < Date.now() - RELEASE_PAST_TOLERANCE_MS) {
      throw badRequest([
        {
          field: 'data.expectedReleaseDate',
          reason: 'must not be in the past (record RELEASED when the person is out)',
        },
      ]);
    }
    // The read model may lag the workflow by a moment; the workflow's validator has the last word.
    const refusal = eventRefusal(pathway.stage as Stage, dto.type);
    if (refusal) throw new ConflictException(refusal);
    const data = { ...dto.data, type: dto.type } as EventData;
    await this.commands.send(id, 'data', (handle) =>
      handle.executeUpdate(recordEventUpdate, { args: [{ occurredAt: dto.occurredAt, recordedBy, data }] }),
    );
    return this.pathways.viewFor(id, recordedBy);
  }

  async migratePlaybook(id: string, dto: MigratePlaybookDto, agencyHeader: string | undefined): Promise<PathwayView> {
    await this.pathways.find(id);
    const requestedBy = await this.commands.actingAgency(agencyHeader, DEFAULT_ACTING_AGENCY);
    if (!OVERSIGHT_AGENCIES.includes(requestedBy)) {
      throw new ForbiddenException(`a pathway changes playbook by decision of ${OVERSIGHT_AGENCIES.join(', ')}`);
    }
    const stored = await this.read.findPlaybook(dto.version);
    if (!stored) throw new NotFoundException(`no playbook version ${dto.version}`);
    // Whether the version is newer than the pathway's is the workflow's decision: it knows the version it runs.
    await this.commands.send(id, 'reason', (handle) =>
      handle.executeUpdate(migratePlaybookUpdate, {
        args: [{ playbook: stored.definition, reason: dto.reason.trim(), requestedBy }],
      }),
    );
    return this.pathways.viewFor(id, requestedBy);
  }
}
