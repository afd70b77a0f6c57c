import { Controller } from '@nestjs/common';

/** Officers' API (holds, runs, explain): being built. */
@Controller('api')
export class OfficerController {}
