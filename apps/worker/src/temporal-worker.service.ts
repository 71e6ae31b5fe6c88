// Owns the Temporal worker inside the Nest lifecycle: created on module init, run on bootstrap (the promise is
// kept), drained and awaited on shutdown so no activity is cut off mid-write.
import {
  Inject,
  Injectable,
  Logger,
  type OnApplicationBootstrap,
  type OnModuleDestroy,
  type OnModuleInit,
} from '@nestjs/common';
import { Client, Connection, ScheduleAlreadyRunning, WorkflowNotFoundError } from '@temporalio/client';
import { NativeConnection, Worker } from '@temporalio/worker';
import type { DataSource } from 'typeorm';
import { createActivities } from '../../../activities';
import { DEFAULT_RETENTION, pathwayWorkflowId } from '../../../libs/domain/src';
import {
  AuditRepository,
  ErasureRepository,
  PersonKeys,
  PersonSearchIndex,
  PlaybookRepository,
  PersonSearchRepository,
  ProjectionRepository,
  ReadRepository,
  ReconciliationRepository,
  RetentionRepository,
} from '../../../libs/persistence/src';
import { connectionTls, dataConverter, requestIdActivityInterceptor } from '../../../libs/temporal/src';
import type { WorkerConfig } from './config';
import { WORKFLOW_INTERCEPTOR_MODULES } from './workflow-interceptors';
import { DATA_SOURCE, WORKER_CONFIG } from './tokens';

@Injectable()
export class TemporalWorkerService implements OnModuleInit, OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger(TemporalWorkerService.name);
  private connection?: NativeConnection;
  /** For the retention activity's terminate (a client call, which a worker's native connection cannot make). */
  private clientConnection?: Connection;
  private worker?: Worker;
  private running?: Promise<void>;
  private client?: Client;

  constructor(
    @Inject(WORKER_CONFIG) private readonly config: WorkerConfig,
    @Inject(DATA_SOURCE) private readonly dataSource: DataSource,
  ) {}

  async onModuleInit(): Promise<void> {
    const { temporal } = this.config;
    this.connection = await NativeConnection.connect({ address: temporal.address, tls: connectionTls(temporal.tls) });
    // One keyring for the codec and the read model: a pathway's payloads and its person's row share the key.
    const personKeys = new PersonKeys(this.dataSource, temporal.payloadKeys);
    const searchIndex = new PersonSearchIndex(this.config.personSearchKey);
    // The people's blind index for every person written before it existed or under another key (person-search.ts);
    // sealed persons are opened with their own key to hash their terms.
    const indexed = await new PersonSearchRepository(this.dataSource, searchIndex, personKeys).backfill();
    if (indexed > 0) this.logger.log(`indexed ${indexed} persons for search`);
    this.clientConnection = Connection.lazy({ address: temporal.address, tls: connectionTls(temporal.tls) });
    const client = (this.client = new Client({
      connection: this.clientConnection,
      namespace: temporal.namespace,
      dataConverter: dataConverter(temporal, personKeys),
    }));
    const terminatePathway = async (pathwayId: string): Promise<void> => {
      try {
        await client.workflow.getHandle(pathwayWorkflowId(pathwayId)).terminate('person erased');
      } catch (err) {
        if (!(err instanceof WorkflowNotFoundError)) throw err;
      }
    };
    // A prebuilt bundle already contains the workflow interceptors (see ./workflow-interceptors).
    const workflows = this.config.workflowBundlePath
      ? { workflowBundle: { codePath: this.config.workflowBundlePath } }
      : { workflowsPath: require.resolve('../../../workflows') };
    this.worker = await Worker.create({
      connection: this.connection,
      namespace: temporal.namespace,
      taskQueue: temporal.taskQueue,
      dataConverter: dataConverter(temporal, personKeys),
      activities: createActivities({
        projections: new ProjectionRepository(this.dataSource, personKeys, searchIndex),
        playbooks: new PlaybookRepository(this.dataSource),
        retention: new RetentionRepository(this.dataSource, new ReadRepository(this.dataSource, personKeys)),
        erasures: new ErasureRepository(this.dataSource, personKeys),
        audit: new AuditRepository(this.dataSource),
        retentionPolicy: this.config.retention ?? DEFAULT_RETENTION,
        personKeys,
        terminatePathway,
        reconciliation: new ReconciliationRepository(this.dataSource),
        temporal: client,
        taskQueue: temporal.taskQueue,
      }),
      interceptors: {
        activity: [requestIdActivityInterceptor],
        ...(this.config.workflowBundlePath ? {} : { workflowModules: WORKFLOW_INTERCEPTOR_MODULES }),
      },
      ...workflows,
      ...(this.config.maxCachedWorkflows === undefined ? {} : { maxCachedWorkflows: this.config.maxCachedWorkflows }),
    });
  }

  onApplicationBootstrap(): void {
    const worker = this.worker!;
    this.running = worker.run();
    this.running.catch((err: unknown) => {
      this.logger.error(`worker stopped: ${err instanceof Error ? err.name : 'unknown error'}`);
    });
    this.logger.log(`polling task queue ${this.config.temporal.taskQueue} in ${this.config.temporal.namespace}`);
    void this.scheduleReconciliation();
  }

  /**
   * The Temporal Schedule that starts reconcileWorkflow every RECONCILE_EVERY_MINUTES, one per task queue; created
   * once (a running schedule is left as it is), skipped while a run is still going.
   */
  private async scheduleReconciliation(): Promise<void> {
    const every = this.config.reconcileEveryMinutes ?? 0;
    if (every <= 0 || !this.client) return;
    const { taskQueue } = this.config.temporal;
    try {
      await this.client.schedule.create({
        scheduleId: `reconcile-${taskQueue}`,
        spec: { intervals: [{ every: `${every} minutes` }] },
        action: {
          type: 'startWorkflow',
          workflowType: 'reconcileWorkflow',
          workflowId: `reconcile-${taskQueue}`,
          args: ['SCHEDULE'],
          taskQueue,
        },
        policies: { overlap: 'SKIP' },
      });
      this.logger.log(`reconciliation scheduled every ${every} minutes`);
    } catch (err) {
      if (err instanceof ScheduleAlreadyRunning) return;
      this.logger.warn(`reconciliation not scheduled: ${err instanceof Error ? err.name : 'unknown error'}`);
    }
  }

  async onModuleDestroy(): Promise<void> {
    if (this.worker && this.worker.getState() === 'RUNNING') this.worker.shutdown();
    await this.running?.catch(() => undefined);
    await this.connection?.close();
    await this.clientConnection?.close();
  }

  get state(): string {
    return this.worker?.getState() ?? 'UNINITIALIZED';
  }
}
