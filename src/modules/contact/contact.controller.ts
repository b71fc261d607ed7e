import { Body, Controller, HttpCode, HttpStatus, Ip, Post } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
  ApiTooManyRequestsResponse,
} from '@nestjs/swagger';
import { ErrorResponseDto } from '../../common/errors/error-response.dto.js';
import { BODY_LIMITS, BodyLimit } from '../../common/http/body-limit.js';
import { ContactService } from './contact.service.js';
import { ContactMessageResponseDto } from './dto/contact-message-response.dto.js';
import { SendContactMessageDto } from './dto/send-contact-message.dto.js';

@ApiTags('contact')
@Controller()
export class ContactController {
  constructor(private readonly contactService: ContactService) {}

  @Post('send-email')
  // a 5,000-character message is up to 20 KB in 4-byte characters: past `standard`
  @BodyLimit(BODY_LIMITS.lists)
  @HttpCode(HttpStatus.OK)
  @ApiOperation({
    summary:
      'Send a message to support from the website’s contact form (public); support replies to `email`',
  })
  @ApiOkResponse({ type: ContactMessageResponseDto })
  @ApiBadRequestResponse({
    type: ErrorResponseDto,
    description: 'VALIDATION_FAILED, with one `details` entry per bad field',
  })
  @ApiTooManyRequestsResponse({
    type: ErrorResponseDto,
    description: 'RATE_LIMITED (per client IP and per sender address)',
  })
  async sendEmail(
    @Body() body: SendContactMessageDto,
    @Ip() ip: string,
  ): Promise<ContactMessageResponseDto> {
    await this.contactService.sendToSupport(body, ip);
    return { message: 'Email sent successfully.' };
  }
}
