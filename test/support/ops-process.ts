// The ops app as its own process, for tests that restart the services under it.
import 'reflect-metadata';
import { startRoles } from '@dpb/pipeline';

startRoles(['ops']);
