// Holds every response the integration suite sees to the gateway's own OpenAPI document: the status is
// documented for that operation, the content type is one it lists, and the body matches its schema
// (ajv, JSON Schema 2020-12). `api()` (clients.ts) runs this on every call, so a flow that gets an
// answer the document does not promise fails where it happens.
import { Ajv2020, type ValidateFunction } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';

interface Operation { operationId: string; responses: Record<string, { content?: Record<string, { schema?: unknown }> }> }
interface Document { paths: Record<string, Record<string, Operation>>; components: Record<string, unknown> }

export class OpenApiValidator {
  private readonly ajv = new Ajv2020({ strict: false, allErrors: true });
  private readonly compiled = new Map<string, ValidateFunction>();
  private readonly templates: Array<{ template: string; regex: RegExp }>;

  constructor(private readonly doc: Document) {
    addFormats.default(this.ajv);
    this.ajv.addSchema({ $id: 'openapi', components: doc.components });
    this.templates = Object.keys(doc.paths)
      .map((template) => ({ template, regex: new RegExp(`^${template.replace(/\{[^}]+\}/g, '[^/]+')}$`) }))
      // Literal paths first: /api/docs before /api/docs/{asset}.
      .sort((a, b) => a.template.split('{').length - b.template.split('{').length);
  }

  /** The operation a request hits, or undefined when the document has no such path. */
  operation(method: string, urlPath: string): { template: string; op: Operation | undefined } | undefined {
    const path = urlPath.split('?')[0]!;
    const found = this.templates.find((t) => t.regex.test(path));
    return found && { template: found.template, op: this.doc.paths[found.template]![method.toLowerCase()] };
  }

  /** The problems with one response (empty when it matches the document). */
  check(method: string, urlPath: string, status: number, contentType: string | null, body: unknown): string[] {
    const where = `${method} ${urlPath} → ${status}`;
    const found = this.operation(method, urlPath);
    const mediaType = (contentType ?? '').split(';')[0]!.trim();
    if (!found?.op) {
      // Not an operation of the document (an unknown path or method): it must still be a problem.
      return status >= 400 && mediaType === 'application/problem+json' ? [] : [`${where}: not a documented operation and not a problem+json error`];
    }
    const response = found.op.responses[String(status)];
    if (!response) return [`${where}: status ${status} is not documented for ${found.op.operationId} (documented: ${Object.keys(found.op.responses).join(', ')})`];
    if (!response.content) return body === undefined || body === '' ? [] : [`${where}: documented without a body, but one came`];
    const media = response.content[mediaType];
    if (!media) return [`${where}: content type ${contentType} is not one of ${Object.keys(response.content).join(', ')}`];
    if (!media.schema || typeof body === 'string') return [];
    const key = `${found.template} ${method} ${status} ${mediaType}`;
    let validate = this.compiled.get(key);
    if (!validate) {
      validate = this.ajv.compile(resolveRefs(media.schema));
      this.compiled.set(key, validate);
    }
    return validate(body) ? [] : [`${where}: body does not match the document: ${this.ajv.errorsText(validate.errors)}`];
  }
}

/** `#/components/...` refs point into the document added under $id `openapi`. */
const resolveRefs = (schema: unknown): Record<string, unknown> =>
  JSON.parse(JSON.stringify(schema).replaceAll('"$ref":"#/components/', '"$ref":"openapi#/components/')) as Record<string, unknown>;
