import 'reflect-metadata';
import { startRoles } from '@dpb/pipeline';

/** The scheduler role: `npm run start:scheduler`. */
startRoles(['scheduler']);
