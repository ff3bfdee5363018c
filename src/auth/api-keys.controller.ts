import { Body, Controller, Get, HttpCode, Inject, Param, Post } from '@nestjs/common';
import { RouteSchema } from '@nestjs/platform-fastify';
import { Type } from '@sinclair/typebox';
import { BODY_PROBLEMS, COMMON_PROBLEMS, NoQuery, problemResponse } from '../http/schemas.js';
import { RequireScope } from './access.decorator.js';
import { ApiKeysService, type ApiKeyInfo } from './api-keys.service.js';
import { ApiKeyIdParams, ApiKeyResponse, CreateApiKeyDto, CreatedApiKeyResponse } from './dto/api-key.dto.js';
import { canonicalUuid } from '../common/uuid.js';

const tags = ['api keys'];

/** Key management over HTTP, for holders of an admin key; the CLI does the same with database access. */
@Controller('v1/api-keys')
@RequireScope('admin')
export class ApiKeysController {
  constructor(@Inject(ApiKeysService) private readonly keys: ApiKeysService) {}

  @Post()
  @HttpCode(201)
  @RouteSchema({
    tags,
    summary: 'Create a key; the response is the only time the key is shown',
    querystring: NoQuery,
    body: CreateApiKeyDto,
    response: { 201: CreatedApiKeyResponse, ...COMMON_PROBLEMS, ...BODY_PROBLEMS },
  })
  async create(@Body() body: CreateApiKeyDto): Promise<ApiKeyInfo & { key: string }> {
    const { key, info } = await this.keys.create(body.name, body.scopes);
    return { ...info, key };
  }

  @Get()
  @RouteSchema({ tags, summary: 'Every key, revoked ones included; never the key or its hash', querystring: NoQuery, response: { 200: Type.Object({ data: Type.Array(ApiKeyResponse) }), ...COMMON_PROBLEMS } })
  async list(): Promise<{ data: ApiKeyInfo[] }> {
    return { data: await this.keys.list() };
  }

  @Post(':id/revoke')
  @HttpCode(200)
  @RouteSchema({
    tags,
    summary: 'Revoke a key: refused from the next request on',
    params: ApiKeyIdParams,
    querystring: NoQuery,
    response: { 200: ApiKeyResponse, 404: problemResponse('No key with this id.'), ...COMMON_PROBLEMS },
  })
  revoke(@Param() params: ApiKeyIdParams): Promise<ApiKeyInfo> {
    return this.keys.revoke(canonicalUuid(params.id));
  }
}
