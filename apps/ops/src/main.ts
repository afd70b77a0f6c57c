import 'reflect-metadata';
import { startRoles } from '@dpb/pipeline';

/** The ops role: `npm run start:ops`. */
startRoles(['ops']);
