import { Module } from '@nestjs/common';
import { OversightModule } from '../oversight/oversight.module';
import { ReportsController } from './reports.controller';
import { ReportsService } from './reports.service';

@Module({ imports: [OversightModule], controllers: [ReportsController], providers: [ReportsService] })
export class ReportsModule {}
