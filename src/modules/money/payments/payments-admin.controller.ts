import { Controller, Get, Query } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import type { AuthUser } from '../../../common/auth/auth-user.js';
import { Authenticated } from '../../../common/auth/authenticated.decorator.js';
import { CurrentUser } from '../../../common/auth/current-user.decorator.js';
import { Role } from '../../../common/auth/role.js';
import { mapPage, type Paginated } from '../../../common/pagination/paginated.js';
import { ApiPaginatedResponse } from '../../../common/pagination/paginated-response.dto.js';
import { ListPaymentsQueryDto, PaymentResponseDto } from './dto/payment.dto.js';
import { toPaymentResponse } from './payment.mapper.js';
import { PaymentsService } from './payments.service.js';

@ApiTags('admin')
@Controller('admin')
export class PaymentsAdminController {
  constructor(private readonly payments: PaymentsService) {}

  @Get('payments')
  @Authenticated({ roles: [Role.Admin] })
  @ApiOperation({
    summary:
      'Payments, newest first, by status; parked=true those an admin must look at; refundState=failed refunds the gateway has not paid back yet (retried)',
  })
  @ApiPaginatedResponse(PaymentResponseDto)
  async list(
    @CurrentUser() user: AuthUser,
    @Query() query: ListPaymentsQueryDto,
  ): Promise<Paginated<PaymentResponseDto>> {
    const { status, parked, refundState } = query;
    return mapPage(await this.payments.list({ status, parked, refundState }, query), (payment) =>
      toPaymentResponse(payment, user),
    );
  }
}
