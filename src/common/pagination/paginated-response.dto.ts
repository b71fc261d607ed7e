import { applyDecorators, Type } from '@nestjs/common';
import { ApiExtraModels, ApiOkResponse, getSchemaPath } from '@nestjs/swagger';

export class PaginationMetaDto {
  page!: number;
  limit!: number;
  totalPages!: number;
  totalItems!: number;
}

/** Documents a `{data: Item[], pagination}` answer. */
export function ApiPaginatedResponse(item: Type<unknown>, description?: string): MethodDecorator {
  return applyDecorators(
    ApiExtraModels(PaginationMetaDto, item),
    ApiOkResponse({
      description,
      schema: {
        type: 'object',
        required: ['data', 'pagination'],
        properties: {
          data: { type: 'array', items: { $ref: getSchemaPath(item) } },
          pagination: { $ref: getSchemaPath(PaginationMetaDto) },
        },
      },
    }),
  );
}
