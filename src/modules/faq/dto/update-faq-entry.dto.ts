import { PartialType } from '@nestjs/swagger';
import { CreateFaqEntryDto } from './create-faq-entry.dto.js';

/** `PUT /admin/faq/:id`: the fields to change. */
export class UpdateFaqEntryDto extends PartialType(CreateFaqEntryDto, {
  skipNullProperties: false,
}) {}
