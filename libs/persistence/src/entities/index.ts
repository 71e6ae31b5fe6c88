import { AgencyEntity } from './agency.entity';
import { EscalationEntity } from './escalation.entity';
import { NotificationEntity } from './notification.entity';
import { PathwayEntity } from './pathway.entity';
import { PersonEntity } from './person.entity';
import { PlaybookEntity } from './playbook.entity';
import { TaskEntity } from './task.entity';
import { TimelineEntryEntity } from './timeline-entry.entity';

export * from './agency.entity';
export * from './escalation.entity';
export * from './notification.entity';
export * from './pathway.entity';
export * from './person.entity';
export * from './playbook.entity';
export * from './task.entity';
export * from './timeline-entry.entity';

export const ENTITIES = [
  AgencyEntity,
  EscalationEntity,
  NotificationEntity,
  PathwayEntity,
  PersonEntity,
  PlaybookEntity,
  TaskEntity,
  TimelineEntryEntity,
];
