import { Module } from '@nestjs/common';
import { MikroOrmModule } from '@mikro-orm/nestjs';
import { OutboxModule } from '../outbox/outbox.module.js';
import { IncidentEvent } from './incident-event.entity.js';
import { Incident } from './incident.entity.js';
import { IncidentActionsService } from './incident-actions.service.js';
import { IncidentsListService } from './incidents-list.service.js';
import { IncidentsController } from './incidents.controller.js';
import { IncidentsService } from './incidents.service.js';

/**
 * Incidents (docs/incidents.md): owns incidents and incident_events. Monitors hand their signals to
 * IncidentsService.record inside their own transaction; the API reads and acts on incidents.
 */
@Module({
  imports: [MikroOrmModule.forFeature([Incident, IncidentEvent]), OutboxModule],
  controllers: [IncidentsController],
  providers: [IncidentsService, IncidentsListService, IncidentActionsService],
  exports: [IncidentsService, IncidentActionsService],
})
export class IncidentsModule {}
