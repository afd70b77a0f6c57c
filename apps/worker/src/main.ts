import 'reflect-metadata';
import { startRoles } from '@dpb/pipeline';

/** The worker role: `npm run start:worker`. */
startRoles(['worker']);
