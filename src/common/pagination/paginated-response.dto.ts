import { applyDecorators, Type } from '@nestjs/common';
import { ApiExtraModels, ApiOkResponse, ApiProperty, getSchemaPath } from '@nestjs/swagger';

export class PaginationMetaDto {
  page!: number;
  limit!: number;
  totalPages!: number;
  totalItems!: number;
}

export class CursorPaginationMetaDto extends PaginationMetaDto {
  /** Pass as `?after=` to get the next page; null on the last page. */
  @ApiProperty({ type: String, nullable: true })
  nextCursor!: string | null;
}

/**
 * Documents a `{data: Item[], pagination}` answer; `meta` is `CursorPaginationMetaDto` for the
 * lists that also take `?after=`.
 */
export function ApiPaginatedResponse(
  item: Type<unknown>,
  description?: string,
  meta: Type<PaginationMetaDto> = PaginationMetaDto,
): MethodDecorator {
  return applyDecorators(
    ApiExtraModels(meta, item),
    ApiOkResponse({
      description,
      schema: {
        type: 'object',
        required: ['data', 'pagination'],
        properties: {
          data: { type: 'array', items: { $ref: getSchemaPath(item) } },
          pagination: { $ref: getSchemaPath(meta) },
        },
      },
    }),
  );
}
