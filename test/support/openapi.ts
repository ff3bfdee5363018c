import { expect } from '@jest/globals';
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import request from 'supertest';

interface Operation {
  responses: Record<string, { content?: Record<string, { schema: object }> }>;
}

/**
 * Checks responses against the OpenAPI document the app serves at /openapi.json: the status must be
 * documented for the operation, and the body must match the documented schema of its content type.
 */
export class OpenApiContract {
  private readonly ajv = new Ajv2020({ strict: false, allErrors: true });

  private constructor(private readonly doc: { paths: Record<string, Record<string, Operation>> }) {
    addFormats.default(this.ajv);
  }

  static async load(app: NestFastifyApplication): Promise<OpenApiContract> {
    const res = await request(app.getHttpServer()).get('/openapi.json').expect(200);
    return new OpenApiContract(res.body);
  }

  /** `path` as documented, e.g. /v1/executions/{execution_id}. */
  check(method: string, path: string, res: { status: number; headers: Record<string, string>; body: unknown }): void {
    const operation = this.doc.paths[path]?.[method.toLowerCase()];
    expect(operation).toBeDefined();
    const response = operation.responses[String(res.status)];
    if (!response) throw new Error(`${method} ${path} does not document status ${res.status}`);
    const type = String(res.headers['content-type'] ?? '').split(';')[0];
    const schema = response.content?.[type]?.schema;
    if (!schema) throw new Error(`${method} ${path} ${res.status} does not document content type ${type}`);
    const validate = this.ajv.compile(schema);
    if (!validate(res.body)) {
      throw new Error(`${method} ${path} ${res.status} body does not match the document: ${this.ajv.errorsText(validate.errors)}`);
    }
  }
}
