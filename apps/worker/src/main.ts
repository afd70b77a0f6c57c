import 'reflect-metadata';
import { startRoles } from '@dpb/pipeline/nest/roles';

/** The worker role: `npm run start:worker`. */
startRoles(['worker']);
