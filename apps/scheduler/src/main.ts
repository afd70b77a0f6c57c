import 'reflect-metadata';
import { startRoles } from '@dpb/pipeline/nest/roles';

/** The scheduler role: `npm run start:scheduler`. */
startRoles(['scheduler']);
