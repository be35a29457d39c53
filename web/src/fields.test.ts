import { describe, expect, it } from 'vitest';
import { createBody, patchBody, problemWith, recordValues, formSchema } from './fields';
import type { FieldMeta, ResourceMeta, ResourceRecord } from './types';

const field = (overrides: Partial<FieldMeta>): FieldMeta => ({
  name: 'f', type: 'string', required: false, unique: false, readOnly: false, pii: false, ...overrides,
});

const entity: ResourceMeta = {
  name: 'entity', path: 'entities', requireIfMatch: false, events: true,
  fields: [
    field({ name: 'field1', type: 'string', required: true, maxLength: 255 }),
    field({ name: 'field2', type: 'integer', min: 0 }),
  ],
  lifecycle: { states: ['DRAFT', 'ACTIVE', 'ARCHIVED'], initial: 'DRAFT', transitions: { DRAFT: ['ACTIVE', 'ARCHIVED'], ACTIVE: ['ARCHIVED'], ARCHIVED: [] }, readOnlyStates: ['ARCHIVED'] },
  relations: [],
  access: { actions: ['read', 'create', 'update'], transitions: null, rows: 'all' },
};

describe('problemWith mirrors the server rules', () => {
  it('requires a required field', () => {
    expect(problemWith(entity.fields[0], '')).toBe('is required');
    expect(problemWith(entity.fields[0], 'x')).toBeNull();
  });
  it('counts characters as code points, like the server', () => {
    const f = field({ maxLength: 2 });
    expect(problemWith(f, '😀😀')).toBeNull();
    expect(problemWith(f, '😀😀😀')).toBe('must be at most 2 characters long');
    expect(problemWith(field({ minLength: 3 }), 'ab')).toBe('must be at least 3 characters long');
  });
  it('matches the whole value against the pattern', () => {
    const f = field({ pattern: '[A-Z]{3}-\\d{3}' });
    expect(problemWith(f, 'ABC-123')).toBeNull();
    expect(problemWith(f, 'xABC-123')).toBe('must match the pattern [A-Z]{3}-\\d{3}');
  });
  it('checks whole numbers, their bounds and the 32-bit range of integer', () => {
    expect(problemWith(entity.fields[1], '-1')).toBe('must be at least 0');
    expect(problemWith(entity.fields[1], '1.5')).toBe('must be a whole number');
    expect(problemWith(entity.fields[1], '2147483648')).toBe('must be between -2147483648 and 2147483647');
    expect(problemWith(entity.fields[1], '')).toBeNull();
    expect(problemWith(field({ type: 'long' }), '9007199254740993')).toBeNull();
  });
  it('checks decimal digits before and after the point', () => {
    const f = field({ type: 'decimal', precision: 5, scale: 2 });
    expect(problemWith(f, '123.45')).toBeNull();
    expect(problemWith(f, '1.234')).toBe('must have at most 2 digits after the decimal point');
    expect(problemWith(f, '1234.5')).toBe('must have at most 3 digits before the decimal point');
    expect(problemWith(f, '1.50')).toBeNull();
  });
  it('checks enums, dates, ids, JSON and reference lists', () => {
    expect(problemWith(field({ type: 'enum', values: ['A', 'B'] }), 'C')).toBe('must be one of A, B');
    expect(problemWith(field({ type: 'date' }), '2026-13-45')).toBe('must be a date (YYYY-MM-DD)');
    expect(problemWith(field({ type: 'reference' }), 'nope')).toBe('must be a record id (a UUID)');
    expect(problemWith(field({ type: 'json' }), '{"a":')).toBe('must be valid JSON');
    const id = '0b9e2f43-5c1e-4c52-9d59-3c1f1d8f4a10';
    expect(problemWith(field({ type: 'references', reference: { to: 'x', onDelete: 'unlink', maxItems: 1 } }), [id, id])).toBe('must hold at most 1 ids');
    expect(problemWith(field({ type: 'references', required: true }), [])).toBe('must hold at least one id');
  });
});

describe('request bodies', () => {
  it('leaves empty optional inputs out of a create and converts numbers', () => {
    expect(createBody(entity, { field1: 'hello', field2: '' })).toEqual({ field1: 'hello' });
    expect(createBody(entity, { field1: 'hello', field2: '7' })).toEqual({ field1: 'hello', field2: 7 });
  });
  it('patches only what changed, clearing an emptied field with null', () => {
    const record = { id: 'i', status: 'DRAFT', version: 1, createdAt: '', updatedAt: '', field1: 'a', field2: 5 } as ResourceRecord;
    const before = recordValues(entity, record);
    expect(patchBody(entity, before, { ...before, field1: 'b' })).toEqual({ field1: 'b' });
    expect(patchBody(entity, before, { ...before, field2: '' })).toEqual({ field2: null });
    expect(patchBody(entity, before, before)).toEqual({});
  });
  it('never sends a field the caller may not write', () => {
    const locked = { ...entity, access: { ...entity.access, readOnlyFields: ['field2'] } };
    expect(createBody(locked, { field1: 'x', field2: '3' })).toEqual({ field1: 'x' });
  });
});

describe('the form schema', () => {
  it('reports every broken field at its path', () => {
    const result = formSchema(entity).safeParse({ field1: '', field2: '-3' });
    expect(result.success).toBe(false);
    const issues = result.error!.issues.map((issue) => [issue.path.join('.'), issue.message]);
    expect(issues).toEqual([
      ['field1', 'is required'],
      ['field2', 'must be at least 0'],
    ]);
  });
});
