import { ApiProperty } from '@nestjs/swagger';

/** The answer to `POST /send-email`: the message is on its way to support. */
export class ContactMessageResponseDto {
  @ApiProperty({ example: 'Email sent successfully.' })
  message!: string;
}
