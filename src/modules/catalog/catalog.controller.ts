import { Body, Controller, Delete, Get, Param, Post, Put } from '@nestjs/common';
import {
  ApiConflictResponse,
  ApiCreatedResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';
import type { AuthUser } from '../../common/auth/auth-user.js';
import { Authenticated } from '../../common/auth/authenticated.decorator.js';
import { CurrentUser } from '../../common/auth/current-user.decorator.js';
import { Role } from '../../common/auth/role.js';
import { ErrorResponseDto } from '../../common/errors/error-response.dto.js';
import { actorOf } from '../../common/events/event-actor.js';
import { ParseObjectIdPipe } from '../../common/validation/parse-object-id.pipe.js';
import { CatalogService } from './catalog.service.js';
import { CreateServiceDto } from './dto/create-service.dto.js';
import { ServiceResponseDto } from './dto/service-response.dto.js';
import { UpdateServiceDto } from './dto/update-service.dto.js';

const EDITORS = [Role.Admin, Role.Moderator];

@ApiTags('services')
@Controller('services')
export class CatalogController {
  constructor(private readonly catalogService: CatalogService) {}

  @Get()
  @ApiOperation({ summary: 'The services catalog (trades), alphabetically; public' })
  @ApiOkResponse({ type: [ServiceResponseDto] })
  async list(): Promise<ServiceResponseDto[]> {
    const services = await this.catalogService.list();
    return services.map((service) => ServiceResponseDto.from(service));
  }

  @Post()
  @Authenticated({ roles: EDITORS })
  @ApiOperation({ summary: 'Add a service to the catalog' })
  @ApiCreatedResponse({ type: ServiceResponseDto })
  @ApiConflictResponse({ type: ErrorResponseDto, description: 'SERVICE_NAME_TAKEN' })
  async create(
    @Body() body: CreateServiceDto,
    @CurrentUser() editor: AuthUser,
  ): Promise<ServiceResponseDto> {
    return ServiceResponseDto.from(await this.catalogService.create(body, actorOf(editor)));
  }

  @Put(':id')
  @Authenticated({ roles: EDITORS })
  @ApiOperation({ summary: 'Rename or describe a service' })
  @ApiOkResponse({ type: ServiceResponseDto })
  @ApiNotFoundResponse({ type: ErrorResponseDto })
  @ApiConflictResponse({ type: ErrorResponseDto, description: 'SERVICE_NAME_TAKEN' })
  async update(
    @Param('id', ParseObjectIdPipe) id: string,
    @Body() body: UpdateServiceDto,
    @CurrentUser() editor: AuthUser,
  ): Promise<ServiceResponseDto> {
    return ServiceResponseDto.from(await this.catalogService.update(id, body, actorOf(editor)));
  }

  @Delete(':id')
  @Authenticated({ roles: EDITORS })
  @ApiOperation({ summary: 'Remove a service from the catalog; answers the removed service' })
  @ApiOkResponse({ type: ServiceResponseDto })
  @ApiNotFoundResponse({ type: ErrorResponseDto })
  async delete(
    @Param('id', ParseObjectIdPipe) id: string,
    @CurrentUser() editor: AuthUser,
  ): Promise<ServiceResponseDto> {
    return ServiceResponseDto.from(await this.catalogService.delete(id, actorOf(editor)));
  }
}
