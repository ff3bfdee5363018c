import { Module } from '@nestjs/common';
import { MikroOrmModule } from '@mikro-orm/nestjs';
import { OutboxEvent } from './outbox-event.entity.js';
import { OutboxService } from './outbox.service.js';

/** The transactional outbox (docs/outbox.md): owns outbox_events; features append through OutboxService. */
@Module({
  imports: [MikroOrmModule.forFeature([OutboxEvent])],
  providers: [OutboxService],
  exports: [OutboxService],
})
export class OutboxModule {}
