import type { Client } from '@temporalio/client';
import type { z } from 'zod';
import type { oas31 } from 'zod-openapi';
import { createApp } from '../../api/app';
import { buildOpenApiDocument, operationSchemas, routes, undocumentedRoutes } from '../../api/openapi';
import { loadConfig } from '../../infra/config';
import type { Db } from '../../infra/db';
import { createLogger } from '../../infra/logger';

const METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'] as const;

interface Layer {
  route?: { path: unknown; methods: Record<string, boolean> };
  handle?: { stack?: Layer[] };
  rawPath?: unknown;
}

const join = (...parts: string[]): string =>
  '/' +
  parts
    .flatMap((p) => p.split('/'))
    .filter(Boolean)
    .join('/');
/** Express `/orders/:id` -> OpenAPI `/orders/{id}`. */
const toOpenApi = (path: string): string => path.replace(/:(\w+)/g, '{$1}');

/** `METHOD /path` of every route the app serves, through mounted routers (Express 5: app.router). */
function appRoutes(stack: Layer[], prefix = ''): string[] {
  return stack.flatMap((layer) => {
    if (layer.route) {
      if (typeof layer.route.path !== 'string') throw new Error(`Route path ${String(layer.route.path)} is not a string`);
      const path = toOpenApi(join(prefix, layer.route.path));
      return Object.keys(layer.route.methods)
        .filter((m) => layer.route!.methods[m])
        .map((m) => `${m.toUpperCase()} ${path}`);
    }
    if (layer.handle?.stack) {
      if (typeof layer.rawPath !== 'string') throw new Error(`Mount path ${String(layer.rawPath)} is not a string`);
      return appRoutes(layer.handle.stack, join(prefix, layer.rawPath));
    }
    return []; // middleware
  });
}

/** Every operation, with its `METHOD /path` key and its JSON pointer in the document. */
const operations = (doc: oas31.OpenAPIObject) =>
  Object.entries(doc.paths ?? {}).flatMap(([path, item]) =>
    METHODS.filter((m) => item[m]).map((m) => ({
      key: `${m.toUpperCase()} ${path}`,
      path,
      at: `#/paths/${path.replace(/~/g, '~0').replace(/\//g, '~1')}/${m}`,
      op: item[m] as oas31.OperationObject,
    })),
  );

const isRef = (x: unknown): x is oas31.ReferenceObject => typeof x === 'object' && x !== null && '$ref' in x;

describe('OpenAPI document', () => {
  const doc = buildOpenApiDocument();

  /** Follows a local `$ref` (`#/components/...`) to what it points at, with the pointer it resolved to. */
  function deref<T>(x: T | oas31.ReferenceObject, at: string): { value: T; at: string } {
    if (!isRef(x)) return { value: x, at };
    const value = x.$ref
      .replace(/^#\//, '')
      .split('/')
      .reduce<any>((node, key) => node?.[key.replace(/~1/g, '/').replace(/~0/g, '~')], doc);
    if (value === undefined) throw new Error(`Dangling $ref ${x.$ref} at ${at}`);
    return deref(value as T | oas31.ReferenceObject, x.$ref);
  }

  it('lists every route the app serves, and only those', () => {
    const app = createApp({
      config: loadConfig({}),
      prisma: {} as Db,
      temporal: {} as Client,
      logger: createLogger('silent', 'test'),
    });
    const served = new Set(appRoutes((app as unknown as { router: { stack: Layer[] } }).router.stack));
    for (const key of undocumentedRoutes) {
      expect(served).toContain(key); // an exception for a route that no longer exists goes too
      served.delete(key);
    }
    const documented = new Set(operations(doc).map((o) => o.key));
    expect([...served].filter((k) => !documented.has(k)).sort()).toEqual([]);
    expect([...documented].filter((k) => !served.has(k)).sort()).toEqual([]);
    expect(served.size).toBeGreaterThan(40);
  });

  it('has an OpenAPI 3.1 shape: responses everywhere, every path parameter declared, security as the routes need', () => {
    expect(doc.openapi).toBe('3.1.0');
    expect(doc.info.title).toBeTruthy();
    expect(doc.components?.securitySchemes?.apiKey).toMatchObject({ type: 'http', scheme: 'bearer' });
    const ids = new Set<string>();
    for (const { key, path, op } of operations(doc)) {
      expect([key, Object.keys(op.responses ?? {}).length > 0]).toEqual([key, true]);
      expect([key, op.operationId && !ids.has(op.operationId)]).toEqual([key, true]);
      ids.add(op.operationId!);
      expect([key, op.tags?.length]).toEqual([key, 1]);

      const params = (op.parameters ?? []).map((p, i) => deref(p, `${key} parameters/${i}`).value);
      const inPath = [...path.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();
      const declared = params.filter((p) => p.in === 'path');
      expect([key, declared.map((p) => p.name).sort()]).toEqual([key, inPath]);
      for (const p of declared) expect([key, p.name, p.required]).toEqual([key, p.name, true]);

      const isPublic = /^\/(health|metrics|openapi\.json|docs|approvals\/)/.test(path);
      expect([key, op.security]).toEqual([key, isPublic ? [] : [{ apiKey: [] }]]);
      if (!isPublic) {
        expect([key, Object.keys(op.responses ?? {})]).toEqual([key, expect.arrayContaining(['401', '403'])]);
        expect([key, op.description]).toEqual([key, expect.stringMatching(/\*\*Roles:\*\* .*admin/)]);
      }
      if (op.requestBody) expect([key, Object.keys(op.responses ?? {})]).toEqual([key, expect.arrayContaining(['400'])]);
    }
    // Problem details for errors (the approval pages answer theirs as HTML).
    const problem = deref(doc.components!.responses!.BadRequest, 'BadRequest').value as oas31.ResponseObject;
    expect(deref(problem.content!['application/problem+json'].schema!, 'problem').value).toMatchObject({
      properties: { type: {}, title: {}, status: {}, detail: {}, instance: {}, errors: {} },
    });
  });

  it('documents the Idempotency-Key header on every mutating route that needs an API key', () => {
    const withKey = operations(doc)
      .filter(({ op }) => (op.parameters ?? []).some((p) => !isRef(p) && p.in === 'header' && p.name === 'Idempotency-Key'))
      .map((o) => o.key);
    const mutating = routes.filter((r) => r.method === 'post' && r.roles).map((r) => `POST ${r.path}`);
    expect(mutating.length).toBeGreaterThan(30);
    expect(withKey.sort()).toEqual(mutating.sort());
  });

  it('gives every request body an example, and every example in the document parses with the zod schema it came from', () => {
    const checked = new Set<string>();
    const parses = (schema: z.ZodType | undefined, value: unknown, where: string) => {
      expect([where, schema !== undefined]).toEqual([where, true]);
      const result = schema!.safeParse(value);
      expect([where, result.success ? 'ok' : result.error.issues]).toEqual([where, 'ok']);
      checked.add(where);
    };

    for (const { key, at, op } of operations(doc)) {
      const schemas = operationSchemas[key];
      expect([key, schemas !== undefined]).toEqual([key, true]);
      if (op.requestBody) {
        const body = deref(op.requestBody, `${at}/requestBody`);
        const [[mediaType, media]] = Object.entries(body.value.content);
        const schema = deref(media.schema!, `${body.at}/content/${mediaType.replace(/\//g, '~1')}/schema`);
        expect([key, schema.value.example !== undefined]).toEqual([key, true]);
        parses(schemas.body, schema.value.example, `${schema.at}/example`);
      } else {
        expect([key, schemas.body]).toEqual([key, undefined]);
      }
      for (const [i, p] of (op.parameters ?? []).entries()) {
        const param = deref(p, `${at}/parameters/${i}`);
        const source = schemas[param.value.in as 'path' | 'query' | 'header']?.shape[param.value.name] as z.ZodType | undefined;
        if (param.value.example !== undefined) parses(source, param.value.example, `${param.at}/example`);
        const schema = param.value.schema && deref(param.value.schema, `${param.at}/schema`);
        if (schema && schema.value.example !== undefined) parses(source, schema.value.example, `${schema.at}/example`);
      }
    }

    // Every `example` anywhere in the document is one of those: none escapes the check.
    const found: string[] = [];
    const walk = (node: unknown, at: string, inProperties = false): void => {
      if (Array.isArray(node)) return node.forEach((x, i) => walk(x, `${at}/${i}`));
      if (typeof node !== 'object' || node === null) return;
      for (const [k, v] of Object.entries(node)) {
        const here = `${at}/${k.replace(/~/g, '~0').replace(/\//g, '~1')}`;
        if (!inProperties && (k === 'example' || k === 'examples')) found.push(here);
        else walk(v, here, !inProperties && k === 'properties');
      }
    };
    walk(doc, '#');
    expect(found.filter((f) => !checked.has(f))).toEqual([]);
    expect(found.filter((f) => f.startsWith('#/components/schemas/')).length).toBeGreaterThanOrEqual(20);
  });
});
