import { Injectable } from '@nestjs/common';

/**
 * Set when the process starts shutting down (main.ts, on SIGTERM or SIGINT), before the listener closes:
 * readiness answers 503 from then on, so a load balancer stops sending traffic while requests drain.
 */
@Injectable()
export class ShutdownService {
  private started = false;

  get shuttingDown(): boolean {
    return this.started;
  }

  begin(): void {
    this.started = true;
  }
}
