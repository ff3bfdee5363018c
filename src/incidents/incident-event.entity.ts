import { Check, Entity, Index, ManyToOne, PrimaryKey, Property } from '@mikro-orm/decorators/legacy';
import { Incident } from './incident.entity.js';
import type { TimelineType } from './incident-transitions.js';

/** One entry of an incident's timeline; append-only (the service role may only insert and read). */
@Entity({ tableName: 'incident_events' })
@Check({
  name: 'incident_events_type_known',
  expression: `type in ('opened', 'refired', 'acknowledged', 'snoozed', 'snooze_expired', 'resolved', 'auto_resolved', 'reopened', 'flapping', 'severity_raised')`,
})
@Check({ name: 'incident_events_details_is_object', expression: `jsonb_typeof(details) = 'object'` })
@Index({ name: 'incident_events_timeline_idx', properties: ['incident', 'at', 'id'] })
export class IncidentEvent {
  @PrimaryKey({ type: 'bigint', autoincrement: true })
  id!: string;

  @ManyToOne({ entity: () => Incident, fieldName: 'incident_id', deleteRule: 'cascade' })
  incident!: Incident;

  @Property({ type: 'datetime', columnType: 'timestamptz' })
  at!: Date;

  @Property({ type: 'text' })
  type!: TimelineType;

  /** The API key of a manual action; null for what monitors did. */
  @Property({ type: 'uuid', nullable: true })
  actorApiKeyId: string | null = null;

  /** The console user, once the console has users. */
  @Property({ type: 'uuid', nullable: true })
  actorUserId: string | null = null;

  @Property({ type: 'jsonb', defaultRaw: `'{}'` })
  details: Record<string, unknown> = {};
}
