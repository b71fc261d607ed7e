import { Injectable, PipeTransform } from '@nestjs/common';
import { isValidObjectId, Types } from 'mongoose';
import { CommonErrors } from '../errors/domain.error.js';

/** A 24-hex ObjectId string; anything else is a 404 (API.md: "Resource not found (invalid ID)"). */
export function isObjectIdString(value: unknown): value is string {
  return typeof value === 'string' && /^[0-9a-fA-F]{24}$/.test(value) && isValidObjectId(value);
}

@Injectable()
export class ParseObjectIdPipe implements PipeTransform<unknown, string> {
  transform(value: unknown): string {
    if (!isObjectIdString(value)) {
      throw CommonErrors.invalidId();
    }
    return new Types.ObjectId(value).toHexString();
  }
}
