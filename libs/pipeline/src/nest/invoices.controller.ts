/**
 * Officers' invoice API (same basic auth as the officer API), read-only:
 *
 *   GET /api/invoices[?council=C&kind=K]   {"invoices": [...], "heldFromReclaim": [...]} as `dpbridge invoices list --json`
 *   GET /api/invoices/aged[?council=C&asOf=D]  aged debt as `dpbridge invoices aged --json`
 *   GET /api/invoices/:id                  one invoice with its lines
 */
import { Controller, Get, Param, Query, UseGuards } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { agedDebtList, listInvoices, showInvoice } from '@dpb/reclaims';
import { londonToday } from '../clock';
import { answer, OpsBasicAuthGuard } from './officer.controller';

@Controller('api/invoices')
@UseGuards(OpsBasicAuthGuard)
export class InvoicesController {
  constructor(private readonly ds: DataSource) {}

  @Get()
  list(@Query('council') council?: string, @Query('kind') kind?: string) {
    return answer(() => listInvoices(this.ds, { council: council || undefined, kind: kind || undefined }));
  }

  @Get('aged')
  aged(@Query('council') council?: string, @Query('asOf') asOf?: string) {
    return answer(() => agedDebtList(this.ds, { council: council || undefined, asOf: asOf || londonToday() }));
  }

  @Get(':id')
  show(@Param('id') id: string) {
    return answer(() => showInvoice(this.ds, id));
  }
}
