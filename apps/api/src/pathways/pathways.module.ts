import { Module } from '@nestjs/common';
import { PathwayCommandsService } from './pathway-commands.service';
import { PathwaysController } from './pathways.controller';
import { PathwaysService } from './pathways.service';

@Module({ controllers: [PathwaysController], providers: [PathwaysService, PathwayCommandsService] })
export class PathwaysModule {}
