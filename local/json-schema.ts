/**
 * The part of JSON Schema draft 4 API Gateway request models use here (type, required, properties,
 * additionalProperties, enum, string length and pattern, number bounds, items), so the local API
 * rejects at the edge what the gateway would. Returns the problems, empty when the value is valid.
 */
import type { Json } from './template.js';

type Schema = { readonly [key: string]: Json };

const typeOf = (value: unknown): string => {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  if (typeof value === 'number') return Number.isInteger(value) ? 'integer' : 'number';
  return typeof value;
};

const matchesType = (value: unknown, type: string): boolean => {
  const actual = typeOf(value);
  return actual === type || (type === 'number' && actual === 'integer');
};

const patterns = new Map<string, RegExp>();
const regexOf = (pattern: string): RegExp => {
  let regex = patterns.get(pattern);
  if (!regex) {
    regex = new RegExp(pattern, 'u');
    patterns.set(pattern, regex);
  }
  return regex;
};

export function validateJsonSchema(schema: Schema, value: unknown, path = ''): string[] {
  const at = path || 'body';
  const problems: string[] = [];
  const types = schema.type === undefined ? [] : ([] as Json[]).concat(schema.type).map(String);
  if (types.length > 0 && !types.some((t) => matchesType(value, t))) {
    return [`${at}: expected ${types.join(' or ')}, got ${typeOf(value)}`];
  }
  if (Array.isArray(schema.enum) && !schema.enum.some((e) => JSON.stringify(e) === JSON.stringify(value))) {
    problems.push(`${at}: must be one of ${schema.enum.map((e) => JSON.stringify(e)).join(', ')}`);
  }
  if (typeof value === 'string') {
    const length = [...value].length;
    if (typeof schema.minLength === 'number' && length < schema.minLength)
      problems.push(`${at}: must be at least ${schema.minLength} characters`);
    if (typeof schema.maxLength === 'number' && length > schema.maxLength)
      problems.push(`${at}: must be at most ${schema.maxLength} characters`);
    if (typeof schema.pattern === 'string' && !regexOf(schema.pattern).test(value))
      problems.push(`${at}: must match ${schema.pattern}`);
  }
  if (typeof value === 'number') {
    if (typeof schema.minimum === 'number' && value < schema.minimum)
      problems.push(`${at}: must be >= ${schema.minimum}`);
    if (typeof schema.maximum === 'number' && value > schema.maximum)
      problems.push(`${at}: must be <= ${schema.maximum}`);
  }
  if (Array.isArray(value)) {
    if (typeof schema.minItems === 'number' && value.length < schema.minItems)
      problems.push(`${at}: must have at least ${schema.minItems} items`);
    if (typeof schema.maxItems === 'number' && value.length > schema.maxItems)
      problems.push(`${at}: must have at most ${schema.maxItems} items`);
    const items = schema.items;
    if (items && typeof items === 'object' && !Array.isArray(items)) {
      value.forEach((item, i) => {
        problems.push(...validateJsonSchema(items, item, path ? `${path}.${i}` : String(i)));
      });
    }
  }
  if (typeOf(value) === 'object') {
    const object = value as Record<string, unknown>;
    const properties = (schema.properties ?? {}) as Record<string, Schema>;
    for (const name of Array.isArray(schema.required) ? schema.required.map(String) : []) {
      if (!(name in object)) problems.push(`${path ? `${path}.` : ''}${name}: is required`);
    }
    for (const [name, item] of Object.entries(object)) {
      const where = path ? `${path}.${name}` : name;
      const propertySchema = properties[name];
      if (propertySchema) problems.push(...validateJsonSchema(propertySchema, item, where));
      else if (schema.additionalProperties === false) problems.push(`${where}: is not allowed`);
      else if (schema.additionalProperties && typeof schema.additionalProperties === 'object')
        problems.push(...validateJsonSchema(schema.additionalProperties as Schema, item, where));
    }
  }
  return problems;
}
