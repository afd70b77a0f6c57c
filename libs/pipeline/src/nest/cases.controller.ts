/**
 * Officers' case API (same basic auth and `X-Officer` header as the officer API):
 *
 *   GET  /api/cases[?council=C&dp=DP&kind=K&status=S]   {"cases": [...]} as `dpbridge cases list --json`
 *   GET  /api/cases/:id                                  one case with its evidence and history
 *   POST /api/cases/:id/propose                          body {"amountPence": 12345, "reason": "..."} both optional
 *   POST /api/cases/:id/approve                          not by the proposer (four eyes)
 *   POST /api/cases/:id/reject                           not by the proposer (four eyes); body {"reason": "..."} optional
 *   POST /api/cases/:id/close                            body {"reason": "..."} optional
 *
 * Refusals answer 409 (404 for an unknown id, 400 for bad input) with `{ code, message }`.
 */
import { BadRequestException, Body, Controller, Get, Headers, HttpCode, Param, Post, Query, Req, UseGuards } from '@nestjs/common';
import type { Request } from 'express';
import { DataSource } from 'typeorm';
import { CaseService, caseViewJson, casesJson, decisionJson, isCaseKind, isCaseStatus } from '@dpb/cases';
import { answer, authUser, officerFrom, OpsBasicAuthGuard } from './officer.controller';

interface DecisionBody {
  amountPence?: unknown;
  reason?: unknown;
}

function reasonOf(body: DecisionBody | undefined): string | undefined {
  return typeof body?.reason === 'string' ? body.reason : undefined;
}

function amountOf(body: DecisionBody | undefined): bigint | undefined {
  const v = body?.amountPence;
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'number' || !Number.isSafeInteger(v) || v < 0) {
    throw new BadRequestException({ code: 'BAD_INPUT', message: 'amountPence: a whole number of pence, 0 or more' });
  }
  return BigInt(v);
}

@Controller('api/cases')
@UseGuards(OpsBasicAuthGuard)
export class CasesController {
  private readonly cases: CaseService;

  constructor(ds: DataSource) {
    this.cases = new CaseService(ds);
  }

  @Get()
  list(@Query('council') council?: string, @Query('dp') dp?: string, @Query('kind') kind?: string, @Query('status') status?: string) {
    if (kind && !isCaseKind(kind)) throw new BadRequestException({ code: 'BAD_INPUT', message: 'kind: not a case kind' });
    if (status && !isCaseStatus(status)) throw new BadRequestException({ code: 'BAD_INPUT', message: 'status: not a case status' });
    return answer(async () => casesJson(await this.cases.list({ council: council || undefined, dpId: dp || undefined, kind: isCaseKind(kind) ? kind : undefined, status: isCaseStatus(status) ? status : undefined })));
  }

  @Get(':id')
  show(@Param('id') id: string) {
    return answer(async () => caseViewJson(await this.cases.show(id)));
  }

  @Post(':id/propose')
  @HttpCode(200)
  propose(@Param('id') id: string, @Headers('x-officer') officer: string | undefined, @Body() body: DecisionBody | undefined, @Req() req: Request) {
    return answer(async () =>
      decisionJson(await this.cases.propose(id, officerFrom(officer), { via: `api:${authUser(req) ?? ''}`, reason: reasonOf(body), amountPence: amountOf(body) })),
    );
  }

  @Post(':id/approve')
  @HttpCode(200)
  approve(@Param('id') id: string, @Headers('x-officer') officer: string | undefined, @Body() body: DecisionBody | undefined, @Req() req: Request) {
    return answer(async () => decisionJson(await this.cases.approve(id, officerFrom(officer), { via: `api:${authUser(req) ?? ''}`, reason: reasonOf(body) })));
  }

  @Post(':id/reject')
  @HttpCode(200)
  reject(@Param('id') id: string, @Headers('x-officer') officer: string | undefined, @Body() body: DecisionBody | undefined, @Req() req: Request) {
    return answer(async () => decisionJson(await this.cases.reject(id, officerFrom(officer), { via: `api:${authUser(req) ?? ''}`, reason: reasonOf(body) })));
  }

  @Post(':id/close')
  @HttpCode(200)
  close(@Param('id') id: string, @Headers('x-officer') officer: string | undefined, @Body() body: DecisionBody | undefined, @Req() req: Request) {
    return answer(async () => decisionJson(await this.cases.close(id, officerFrom(officer), { via: `api:${authUser(req) ?? ''}`, reason: reasonOf(body) })));
  }
}
