/**
 * Officers' audit and liability API (same basic auth and `X-Officer` header as the officer API):
 *
 *   GET  /api/audits/:council/:dp[?asOf=D]   as `dpbridge audit show --json` (asOf: computed, not stored)
 *   GET  /api/liabilities[?council=C&dp=DP&all=true]   {"liabilities": [...]}
 *   POST /api/liabilities                    body {"council", "dpId", "kind", "amountPence", "owedOn"?}
 *   POST /api/liabilities/:id/remove         removes it from today (earlier audits keep it)
 *
 * Every POST is recorded under the named officer (and the basic-auth login). Refusals answer 409
 * (404 for an unknown id, 400 for bad input) with `{ code, message }`.
 */
import { BadRequestException, Body, Controller, Get, Headers, HttpCode, Inject, Param, Post, Query, Req, UseGuards } from '@nestjs/common';
import type { Request } from 'express';
import { DataSource } from 'typeorm';
import { isCivilDate } from '@dpb/common';
import { OfficerRefusal } from '@dpb/payments/officer';
import { addLiability, auditJson, listLiabilities, removeLiability, showAudit } from '@dpb/audit';
import type { CouncilConfig } from '../councils';
import { COUNCILS } from '../tokens';
import { answer, authUser, officerFrom, OpsBasicAuthGuard } from './officer.controller';

interface LiabilityBody {
  council?: unknown;
  dpId?: unknown;
  kind?: unknown;
  amountPence?: unknown;
  owedOn?: unknown;
}

const bad = (message: string) => new BadRequestException({ code: 'BAD_INPUT', message });

@Controller('api')
@UseGuards(OpsBasicAuthGuard)
export class AuditController {
  constructor(
    private readonly ds: DataSource,
    @Inject(COUNCILS) private readonly councils: Map<string, CouncilConfig>,
  ) {}

  @Get('audits/:council/:dp')
  show(@Param('council') council: string, @Param('dp') dp: string, @Query('asOf') asOf?: string) {
    if (asOf && !isCivilDate(asOf)) throw bad('asOf: must be a YYYY-MM-DD date');
    return answer(async () => {
      const c = this.councils.get(council);
      if (!c) throw new OfficerRefusal('NOT_FOUND', `council ${council} is not configured`);
      const s = await showAudit(this.ds, c.code, c.settings, dp, asOf || undefined);
      if (!s) throw new OfficerRefusal('NOT_FOUND', `DP ${dp} has no audit`);
      return auditJson(c.code, s.figures, { auditId: s.auditId, stored: s.stored });
    });
  }

  @Get('liabilities')
  list(@Query('council') council?: string, @Query('dp') dp?: string, @Query('all') all?: string) {
    return answer(async () => ({ liabilities: await listLiabilities(this.ds, { council: council || undefined, dpId: dp || undefined, includeRemoved: all === 'true' }) }));
  }

  @Post('liabilities')
  @HttpCode(200)
  add(@Headers('x-officer') officer: string | undefined, @Body() body: LiabilityBody | undefined, @Req() req: Request) {
    const who = officerFrom(officer);
    const { council, dpId, kind, amountPence, owedOn } = body ?? {};
    if (typeof council !== 'string' || typeof dpId !== 'string' || typeof kind !== 'string') throw bad('council, dpId and kind are required strings');
    if (typeof amountPence !== 'number' || !Number.isSafeInteger(amountPence) || amountPence <= 0) throw bad('amountPence: a whole number of pence, more than 0');
    if (owedOn !== undefined && (typeof owedOn !== 'string' || !isCivilDate(owedOn))) throw bad('owedOn: a YYYY-MM-DD date');
    return answer(() => addLiability(this.ds, { council, dpId, kind, amountPence: BigInt(amountPence), owedOn: owedOn as string | undefined, officer: who }, { via: `api:${authUser(req) ?? ''}` }));
  }

  @Post('liabilities/:id/remove')
  @HttpCode(200)
  remove(@Param('id') id: string, @Headers('x-officer') officer: string | undefined, @Req() req: Request) {
    return answer(() => removeLiability(this.ds, id, officerFrom(officer), { via: `api:${authUser(req) ?? ''}` }));
  }
}
