// Makes sure the Temporal Schedule that runs the retention workflow daily exists (issue 13, item 4). The API owns
// it because it holds the Temporal client; creating it is idempotent (an existing schedule is left as it is, so an
// operator's pause or changed time stands). Runs in the background: the API starts while Temporal comes up, and
// the schedule is made as soon as Temporal answers.
import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { ScheduleAlreadyRunning, type Client } from '@temporalio/client';
import { RETENTION_WORKFLOW_TYPE, retentionScheduleId } from '../../../../libs/domain/src';
import type { ApiConfig } from '../config';
import { API_CONFIG, TEMPORAL_CLIENT } from '../core/tokens';

/** When the daily run starts: at night, Copenhagen time, when nobody works a queue. */
export const RETENTION_RUN_AT = { hour: 2, minute: 30 } as const;
const RETRY_MS = 5_000;

@Injectable()
export class RetentionSchedule implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(RetentionSchedule.name);
  private stopped = false;
  private timer?: NodeJS.Timeout;
  /** Settles once the schedule exists (or the API stops first). */
  ready?: Promise<void>;

  constructor(
    @Inject(TEMPORAL_CLIENT) private readonly temporal: Client,
    @Inject(API_CONFIG) private readonly config: ApiConfig,
  ) {}

  onApplicationBootstrap(): void {
    if (this.config.retentionSchedule === false) return;
    this.ready = this.ensure();
  }

  onApplicationShutdown(): void {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
  }

  private async ensure(): Promise<void> {
    const { taskQueue } = this.config.temporal;
    while (!this.stopped) {
      try {
        await this.temporal.schedule.create({
          scheduleId: retentionScheduleId(taskQueue),
          spec: { calendars: [RETENTION_RUN_AT], timezone: 'Europe/Copenhagen' },
          action: {
            type: 'startWorkflow',
            workflowType: RETENTION_WORKFLOW_TYPE,
            taskQueue,
            workflowId: `retention-${taskQueue}`,
            args: [],
          },
          // A run that is late (Temporal was down) still happens once; two never overlap.
          policies: { overlap: 'SKIP', catchupWindow: '1 day' },
        });
        this.logger.log('retention schedule created');
        return;
      } catch (err) {
        if (err instanceof ScheduleAlreadyRunning) return;
        this.logger.warn(`retention schedule not made yet: ${err instanceof Error ? err.name : 'unknown error'}`);
        await new Promise<void>((resolve) => (this.timer = setTimeout(resolve, RETRY_MS)));
      }
    }
  }
}
