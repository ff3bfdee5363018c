// Nest's Logger without the package's index (rxjs and all of Nest's decorators), for code that the migrate
// commands load: they run without Nest. The index imports reflect-metadata, which the logger's own
// decorators need at load, so this does too. It is the same class as the index's (one module instance):
// Logger.overrideLogger() in the app or the command line reaches every logger created from here.
import 'reflect-metadata';

export { Logger } from '@nestjs/common/services/logger.service.js';
