import { DomainError } from '../common/domain-error.js';

export class MonitorNotFoundError extends DomainError {
  readonly code = 'MONITORS.NOT_FOUND';
  constructor(id: string) {
    super(`no monitor ${id}`);
  }
}

export class MonitorNameTakenError extends DomainError {
  readonly code = 'MONITORS.NAME_TAKEN';
  override readonly expose = true;
  constructor(name: string) {
    super(`an enabled monitor is already named ${JSON.stringify(name)}; names are unique among enabled monitors`);
  }
}

export class MonitorDefaultNotFoundError extends DomainError {
  readonly code = 'MONITORS.DEFAULT_NOT_FOUND';
  constructor(scope: string, name: string) {
    super(`no ${scope} switch for ${JSON.stringify(name)}`);
  }
}
