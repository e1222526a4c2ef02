// Every schema and every property of every document says what it is (and, where Gameball's docs
// do not settle it, that it is an inference). Array items and oneOf branches are described by
// their parent; conditional (if/then) parts carry no fields of their own.
import { describe, expect, it } from 'vitest';
import { type ContractName, contractDocument } from '../../openapi/contract.ts';

interface SchemaNode {
  $ref?: string;
  description?: string;
  properties?: Record<string, SchemaNode>;
  items?: SchemaNode;
  oneOf?: SchemaNode[];
  anyOf?: SchemaNode[];
  allOf?: SchemaNode[];
}

function undescribed(schema: SchemaNode, path: string, describedByParent = false): string[] {
  if (schema.$ref) return [];
  const missing = !schema.description && !describedByParent ? [path] : [];
  for (const [key, property] of Object.entries(schema.properties ?? {}))
    missing.push(...undescribed(property, `${path}/properties/${key}`));
  if (schema.items) missing.push(...undescribed(schema.items, `${path}/items`, true));
  for (const key of ['oneOf', 'anyOf', 'allOf'] as const) {
    for (const [i, branch] of (schema[key] ?? []).entries()) {
      missing.push(...undescribed(branch, `${path}/${key}/${i}`, true));
    }
  }
  return missing;
}

describe.each<ContractName>(['gameball', 'merchant', 'gameball-mock-control'])('the %s document', (name) => {
  it('describes every schema and property', () => {
    const schemas = (contractDocument(name).components as { schemas: Record<string, SchemaNode> }).schemas;
    const missing = Object.entries(schemas).flatMap(([key, schema]) =>
      undescribed(schema, `#/components/schemas/${key}`),
    );
    expect(missing).toEqual([]);
  });

  it('marks its inferences', () => {
    expect(JSON.stringify(contractDocument(name))).toContain('*inference*');
  });
});
