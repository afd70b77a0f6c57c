import 'reflect-metadata';
import { startRoles } from '@dpb/pipeline/nest/roles';

/** The ops role: `npm run start:ops`. */
startRoles(['ops']);
