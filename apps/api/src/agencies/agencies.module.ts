import { Module } from '@nestjs/common';
import { TasksModule } from '../tasks/tasks.module';
import { AgenciesController } from './agencies.controller';
import { AgenciesService } from './agencies.service';

@Module({ imports: [TasksModule], controllers: [AgenciesController], providers: [AgenciesService] })
export class AgenciesModule {}
