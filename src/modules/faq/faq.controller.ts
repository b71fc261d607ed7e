import { Controller, Get, Query } from '@nestjs/common';
import { ApiBadRequestResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ErrorResponseDto } from '../../common/errors/error-response.dto.js';
import { ApiPaginatedResponse } from '../../common/pagination/paginated-response.dto.js';
import { mapPage, type Paginated } from '../../common/pagination/paginated.js';
import { AskFaqQueryDto } from './dto/ask-faq-query.dto.js';
import { FaqAnswersResponseDto, FaqEntryResponseDto } from './dto/faq-entry-response.dto.js';
import { ListFaqQueryDto } from './dto/list-faq-query.dto.js';
import { toFaqAnswer, toFaqEntryResponse } from './faq.mapper.js';
import { FAQ_CONTACT, FaqService } from './faq.service.js';

/** The FAQ assistant's public routes: ask a question, read the FAQ. */
@ApiTags('faq')
@Controller('faq')
export class FaqController {
  constructor(private readonly faqService: FaqService) {}

  @Get('ask')
  @ApiOperation({
    summary:
      'Ask the FAQ assistant (public): the best-matching answers in Arabic or English, best first, and the contact form as the next step',
  })
  @ApiOkResponse({ type: FaqAnswersResponseDto })
  @ApiBadRequestResponse({
    type: ErrorResponseDto,
    description: 'VALIDATION_FAILED: `q` missing, blank or over 300 characters',
  })
  async ask(@Query() query: AskFaqQueryDto): Promise<FaqAnswersResponseDto> {
    const matches = await this.faqService.ask(query);
    return { answers: matches.map(toFaqAnswer), contact: FAQ_CONTACT };
  }

  @Get()
  @ApiOperation({
    summary: 'The FAQ (public), by topic with its languages together; filter by language or topic',
  })
  @ApiPaginatedResponse(FaqEntryResponseDto)
  async list(@Query() query: ListFaqQueryDto): Promise<Paginated<FaqEntryResponseDto>> {
    return mapPage(await this.faqService.list(query, query), toFaqEntryResponse);
  }
}
