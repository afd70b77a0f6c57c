/**
 * Officers' invoice API (same basic auth as the officer API), read-only:
 *
 *   GET /api/invoices[?council=C&kind=K]   {"invoices": [...], "heldFromReclaim": [...]} as `dpbridge invoices list --json`
 *   GET /api/invoices/:id                  one invoice with its lines
 */
import { Controller, Get, Param, Query, UseGuards } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { listInvoices, showInvoice } from '@dpb/reclaims';
import { answer, OpsBasicAuthGuard } from './officer.controller';

@Controller('api/invoices')
@UseGuards(OpsBasicAuthGuard)
export class InvoicesController {
  constructor(private readonly ds: DataSource) {}

  @Get()
  list(@Query('council') council?: string, @Query('kind') kind?: string) {
    return answer(() => listInvoices(this.ds, { council: council || undefined, kind: kind || undefined }));
  }

  @Get(':id')
  show(@Param('id') id: string) {
    return answer(() => showInvoice(this.ds, id));
  }
}
