import { Controller, Get } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Authenticated } from '../../../common/auth/authenticated.decorator.js';
import { Role } from '../../../common/auth/role.js';
import { LedgerCheckResponseDto } from './dto/ledger-entry-response.dto.js';
import { LedgerInvariants } from './ledger-invariants.js';

@ApiTags('admin')
@Controller('admin/ledger')
export class LedgerAdminController {
  constructor(private readonly invariants: LedgerInvariants) {}

  @Get('check')
  @Authenticated({ roles: [Role.Admin] })
  @ApiOperation({
    summary:
      'Check the ledger: Σ of all postings = 0 and every cached balance = the sum of its postings',
  })
  @ApiOkResponse({ type: LedgerCheckResponseDto })
  check(): Promise<LedgerCheckResponseDto> {
    return this.invariants.check();
  }
}
