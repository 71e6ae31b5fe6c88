import { Initial1764064800000 } from './1764064800000-Initial';
import { PathwayStages1764072000000 } from './1764072000000-PathwayStages';
import { TaskQueues1764079200000 } from './1764079200000-TaskQueues';
import { OpenTaskAge1764086400000 } from './1764086400000-OpenTaskAge';
import { IdempotencyKeys1764489600000 } from './1764489600000-IdempotencyKeys';
import { AuditPerson1764504000000 } from './1764504000000-AuditPerson';
import { AgeRoutingAgencies1764547200000 } from './1764547200000-AgeRoutingAgencies';
import { Oversight1764662400000 } from './1764662400000-Oversight';
import { TaskCancelCode1765000000000 } from './1765000000000-TaskCancelCode';
import { AccessRecords1765100000000 } from './1765100000000-AccessRecords';
import { TaskOutcomes1765200000000 } from './1765200000000-TaskOutcomes';
import { TaskCompressed1765200100000 } from './1765200100000-TaskCompressed';
import { Meetings1765300000000 } from './1765300000000-Meetings';
import { AuditChain1765400000000 } from './1765400000000-AuditChain';
import { CommandKeys1765500000000 } from './1765500000000-CommandKeys';
import { WebhookRotation1765500000001 } from './1765500000001-WebhookRotation';
import { PersonSearch1765600000000 } from './1765600000000-PersonSearch';
import { TaskHoldAndNotes1765610000000 } from './1765610000000-TaskHoldAndNotes';
import { Districts1765620000000 } from './1765620000000-Districts';
import { ContactTargetGroup1765620100000 } from './1765620100000-ContactTargetGroup';
import { MeetingAgenda1765640000000 } from './1765640000000-MeetingAgenda';
import { CommandAnswersSealed1765650000000 } from './1765650000000-CommandAnswersSealed';
import { PersonKeys1765660000000 } from './1765660000000-PersonKeys';
import { ReconciliationRuns1765670000000 } from './1765670000000-ReconciliationRuns';
import { WebhookSecretsSealed1765680000000 } from './1765680000000-WebhookSecretsSealed';
import { PathwayPriority1765690000000 } from './1765690000000-PathwayPriority';
import { PlaintextWebhookSecretsDropped1765690100000 } from './1765690100000-PlaintextWebhookSecretsDropped';

/** In order; TypeORM records which have run in its `migrations` table. */
export const MIGRATIONS = [
  Initial1764064800000,
  PathwayStages1764072000000,
  TaskQueues1764079200000,
  OpenTaskAge1764086400000,
  IdempotencyKeys1764489600000,
  AuditPerson1764504000000,
  AgeRoutingAgencies1764547200000,
  Oversight1764662400000,
  TaskCancelCode1765000000000,
  AccessRecords1765100000000,
  TaskOutcomes1765200000000,
  TaskCompressed1765200100000,
  Meetings1765300000000,
  AuditChain1765400000000,
  CommandKeys1765500000000,
  WebhookRotation1765500000001,
  PersonSearch1765600000000,
  TaskHoldAndNotes1765610000000,
  Districts1765620000000,
  ContactTargetGroup1765620100000,
  MeetingAgenda1765640000000,
  CommandAnswersSealed1765650000000,
  PersonKeys1765660000000,
  ReconciliationRuns1765670000000,
  WebhookSecretsSealed1765680000000,
  PathwayPriority1765690000000,
  PlaintextWebhookSecretsDropped1765690100000,
];
