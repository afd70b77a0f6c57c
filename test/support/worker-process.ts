// A worker process for tests that need a real process to signal (SIGTERM, SIGKILL).
import 'reflect-metadata';
import { startRoles } from '@dpb/pipeline/nest/roles';

startRoles(['worker']);
