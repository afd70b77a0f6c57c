/**
 * Officers' API (behind the same basic auth as Bull Board: DPB_OPS_USER / DPB_OPS_PASSWORD):
 *
 *   GET  /api/holds[?council=C&reason=R]   held lines
 *   POST /api/holds/:id/release            release a held line (paid, recomputed, in the next run)
 *   POST /api/holds/:id/cancel             cancel a held line (never paid); body {"reason": "..."} optional
 *   GET  /api/runs[?council=C]             payment runs
 *   POST /api/runs/:id/release             release a held run's holds (delivered, or awaits approval)
 *   POST /api/runs/:id/approve             approve a run awaiting approval (four eyes), then delivered
 *   GET  /api/lines/:id/explain            what produced a line
 *
 * The officer is named by the `X-Officer` header, required on every POST. The basic-auth login is
 * the fleet's one ops account, shared by IT support, so it cannot tell two officers apart for the
 * four-eyes rule; it is kept in the audit trail next to the named officer. Refusals answer 409
 * (404 for an unknown id, 400 for bad input) with `{ code, message }`.
 */
import {
  BadRequestException,
  Body,
  ConflictException,
  Controller,
  Get,
  Headers,
  HttpCode,
  Inject,
  Injectable,
  NotFoundException,
  Param,
  Post,
  Query,
  Req,
  UnauthorizedException,
  UseGuards,
  type CanActivate,
  type ExecutionContext,
} from '@nestjs/common';
import basicAuth from 'express-basic-auth';
import type { Request, RequestHandler, Response } from 'express';
import { DataSource } from 'typeorm';
import type { Env } from '@dpb/platform';
import {
  OfficerRefusal,
  cancelLine,
  explainLine,
  jsonReady,
  listHeldLines,
  listRuns,
  releaseLine,
} from '@dpb/payments/officer';
import type { CouncilConfig } from '../councils';
import { approveRunAndDeliver, releaseRunAndDeliver } from '../officer-actions';
import { COUNCILS, ENV } from '../tokens';

/** express-basic-auth as a Nest guard; without DPB_OPS_PASSWORD every request is refused. */
@Injectable()
export class OpsBasicAuthGuard implements CanActivate {
  private readonly check: RequestHandler;

  constructor(@Inject(ENV) env: Env) {
    this.check = basicAuth({
      users: { [env.DPB_OPS_USER]: env.DPB_OPS_PASSWORD ?? '' },
      challenge: true,
      realm: 'dpbridge-ops',
      authorizer: env.DPB_OPS_PASSWORD ? undefined : () => false,
    });
  }

  canActivate(context: ExecutionContext): boolean {
    const http = context.switchToHttp();
    const req = http.getRequest<Request>();
    const res = http.getResponse<Response>();
    let passed = false;
    // The static-users authorizer is synchronous: next() has run, or the 401 has been sent, by now.
    this.check(req, res, () => (passed = true));
    if (passed) return true;
    throw new UnauthorizedException();
  }
}

export function officerFrom(header: string | undefined): string {
  if (!header || !header.trim()) throw new BadRequestException({ code: 'BAD_INPUT', message: 'X-Officer header (the officer taking the decision) is required' });
  return header;
}

export function authUser(req: Request): string | null {
  return (req as Request & { auth?: { user?: string } }).auth?.user ?? null;
}

export async function answer<T>(fn: () => Promise<T>): Promise<unknown> {
  try {
    return jsonReady(await fn());
  } catch (e) {
    if (e instanceof OfficerRefusal) {
      const body = { code: e.code, message: e.message };
      if (e.code === 'NOT_FOUND') throw new NotFoundException(body);
      if (e.code === 'BAD_INPUT') throw new BadRequestException(body);
      throw new ConflictException(body);
    }
    throw e;
  }
}

@Controller('api')
@UseGuards(OpsBasicAuthGuard)
export class OfficerController {
  constructor(
    private readonly ds: DataSource,
    @Inject(ENV) private readonly env: Env,
    @Inject(COUNCILS) private readonly councils: Map<string, CouncilConfig>,
  ) {}

  @Get('holds')
  holds(@Query('council') council?: string, @Query('reason') reason?: string, @Query('runId') runId?: string) {
    return answer(() => listHeldLines(this.ds, council || undefined, { reason: reason || undefined, runId: runId || undefined }));
  }

  @Post('holds/:id/release')
  @HttpCode(200)
  releaseLine(@Param('id') id: string, @Headers('x-officer') officer: string | undefined, @Req() req: Request) {
    return answer(() => releaseLine(this.ds, id, officerFrom(officer), { via: `api:${authUser(req) ?? ''}` }));
  }

  @Post('holds/:id/cancel')
  @HttpCode(200)
  cancelLine(@Param('id') id: string, @Headers('x-officer') officer: string | undefined, @Body() body: { reason?: unknown } | undefined, @Req() req: Request) {
    const reason = typeof body?.reason === 'string' ? body.reason : undefined;
    return answer(() => cancelLine(this.ds, id, officerFrom(officer), { via: `api:${authUser(req) ?? ''}`, reason }));
  }

  @Get('runs')
  runs(@Query('council') council?: string) {
    return answer(() => listRuns(this.ds, council || undefined));
  }

  @Post('runs/:id/release')
  @HttpCode(200)
  releaseRun(@Param('id') id: string, @Headers('x-officer') officer: string | undefined, @Req() req: Request) {
    return answer(() => releaseRunAndDeliver(this.ds, this.env, this.councils, id, officerFrom(officer), { via: `api:${authUser(req) ?? ''}` }));
  }

  @Post('runs/:id/approve')
  @HttpCode(200)
  approveRun(@Param('id') id: string, @Headers('x-officer') officer: string | undefined, @Req() req: Request) {
    return answer(() => approveRunAndDeliver(this.ds, this.env, this.councils, id, officerFrom(officer), { via: `api:${authUser(req) ?? ''}` }));
  }

  @Get('lines/:id/explain')
  explain(@Param('id') id: string) {
    return answer(() => explainLine(this.ds, id));
  }
}
