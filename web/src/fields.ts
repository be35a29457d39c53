// Form values per field type, and client-side validation that mirrors the server's rules (FieldDefinition and
// RecordReader): the same limits, the same messages. The server stays the judge; this only saves a round trip.
import { z } from 'zod';
import type { FieldMeta, ResourceMeta, ResourceRecord } from './types';

export type FormValue = string | boolean | string[];
export type FormValues = Record<string, FormValue>;

const UUID = /^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/;
const INTEGER = /^-?\d+$/;
const DECIMAL = /^-?\d+(\.\d+)?$/;
const DATE = /^\d{4}-\d{2}-\d{2}$/;
const INT_MIN = -2147483648n;
const INT_MAX = 2147483647n;
const LONG_MIN = -9223372036854775808n;
const LONG_MAX = 9223372036854775807n;

/** The fields a form shows: every declared field except those no client may set. */
export function formFields(resource: ResourceMeta): FieldMeta[] {
  return resource.fields.filter((field) => !field.readOnly);
}

/** Whether the caller's roles forbid writing this field (it is shown, disabled). */
export function lockedForCaller(resource: ResourceMeta, field: FieldMeta): boolean {
  return (resource.access.readOnlyFields ?? []).includes(field.name);
}

/** The empty form of a create, with declared defaults filled in. */
export function initialValues(resource: ResourceMeta): FormValues {
  const values: FormValues = {};
  for (const field of formFields(resource)) {
    values[field.name] = toFormValue(field, field.default ?? null);
  }
  return values;
}

/** The form of an edit: the record's current values. */
export function recordValues(resource: ResourceMeta, record: ResourceRecord): FormValues {
  const values: FormValues = {};
  for (const field of formFields(resource)) {
    values[field.name] = toFormValue(field, record[field.name] ?? null);
  }
  return values;
}

export function toFormValue(field: FieldMeta, value: unknown): FormValue {
  if (field.type === 'boolean') {
    return value === true;
  }
  if (field.type === 'references') {
    return Array.isArray(value) ? value.map((item) => (typeof item === 'object' && item ? String((item as { id: unknown }).id) : String(item))) : [];
  }
  if (value === null || value === undefined) {
    return '';
  }
  if (field.type === 'json') {
    return JSON.stringify(value, null, 2);
  }
  if (field.type === 'timestamp' && typeof value === 'string') {
    return toLocalDateTime(value);
  }
  if (field.type === 'reference' && typeof value === 'object') {
    return String((value as { id: unknown }).id);
  }
  return String(value);
}

/** The JSON value a form value stands for; null for an empty input. */
export function fromFormValue(field: FieldMeta, value: FormValue): unknown {
  if (field.type === 'boolean') {
    return value === true;
  }
  if (field.type === 'references') {
    return Array.isArray(value) ? value : [];
  }
  const text = String(value);
  if (text.trim() === '' && field.type !== 'string' && field.type !== 'text') {
    return null;
  }
  if (text === '') {
    return null; // an empty input means "no value": left out of a create, cleared by a patch
  }
  switch (field.type) {
    case 'integer':
    case 'decimal':
      return Number(text.trim());
    case 'long': {
      const number = Number(text.trim());
      return Number.isSafeInteger(number) ? number : text.trim();
    }
    case 'json':
      return JSON.parse(text);
    case 'timestamp':
      return new Date(text).toISOString();
    default:
      return text;
  }
}

/** The record's JSON body of a create: every field that has a value. */
export function createBody(resource: ResourceMeta, values: FormValues): Record<string, unknown> {
  const body: Record<string, unknown> = {};
  for (const field of formFields(resource)) {
    if (lockedForCaller(resource, field)) {
      continue;
    }
    const value = fromFormValue(field, values[field.name]);
    if (value !== null && !(Array.isArray(value) && value.length === 0 && !field.required)) {
      body[field.name] = value;
    }
  }
  return body;
}

/** A merge patch of the fields that differ from the record as loaded (null clears a field). */
export function patchBody(resource: ResourceMeta, before: FormValues, values: FormValues): Record<string, unknown> {
  const body: Record<string, unknown> = {};
  for (const field of formFields(resource)) {
    if (lockedForCaller(resource, field)) {
      continue;
    }
    if (JSON.stringify(before[field.name]) !== JSON.stringify(values[field.name])) {
      body[field.name] = fromFormValue(field, values[field.name]);
    }
  }
  return body;
}

function codePoints(text: string): number {
  return [...text].length;
}

/** Why a form value breaks the field's rules, in the server's words, or null when it is acceptable. */
export function problemWith(field: FieldMeta, value: FormValue): string | null {
  if (field.type === 'boolean') {
    return null;
  }
  if (field.type === 'references') {
    const ids = Array.isArray(value) ? value : [];
    if (field.required && ids.length === 0) return 'must hold at least one id';
    if (ids.some((id) => !UUID.test(id))) return 'must hold record ids (UUIDs)';
    if (field.reference?.maxItems !== undefined && ids.length > field.reference.maxItems) {
      return `must hold at most ${field.reference.maxItems} ids`;
    }
    if (new Set(ids).size < ids.length) return 'must not repeat an id';
    return null;
  }
  const text = String(value);
  const empty = field.type === 'string' || field.type === 'text' ? text === '' : text.trim() === '';
  if (empty) {
    return field.required && field.default === undefined ? 'is required' : null;
  }
  const trimmed = text.trim();
  switch (field.type) {
    case 'string':
    case 'text': {
      const length = codePoints(text);
      if (field.minLength !== undefined && length < field.minLength) return `must be at least ${field.minLength} characters long`;
      if (field.maxLength !== undefined && length > field.maxLength) return `must be at most ${field.maxLength} characters long`;
      if (field.pattern) {
        let regex: RegExp | null = null;
        try {
          regex = new RegExp(`^(?:${field.pattern})$`, 'u');
        } catch {
          regex = null; // a Java-only construct: the server checks it
        }
        if (regex && !regex.test(text)) return `must match the pattern ${field.pattern}`;
      }
      return null;
    }
    case 'integer':
    case 'long': {
      if (!INTEGER.test(trimmed)) return 'must be a whole number';
      const number = BigInt(trimmed);
      const [low, high] = field.type === 'integer' ? [INT_MIN, INT_MAX] : [LONG_MIN, LONG_MAX];
      if (number < low || number > high) return `must be between ${low} and ${high}`;
      return bounds(field, Number(trimmed));
    }
    case 'decimal': {
      if (!DECIMAL.test(trimmed)) return 'must be a number';
      const [whole, fraction = ''] = trimmed.replace('-', '').split('.');
      const scale = field.scale ?? 0;
      const digitsBefore = whole.replace(/^0+/, '').length;
      if (fraction.replace(/0+$/, '').length > scale) return `must have at most ${scale} digits after the decimal point`;
      if (field.precision !== undefined && digitsBefore > field.precision - scale) {
        return `must have at most ${field.precision - scale} digits before the decimal point`;
      }
      return bounds(field, Number(trimmed));
    }
    case 'enum':
      return field.values?.includes(text) ? null : `must be one of ${(field.values ?? []).join(', ')}`;
    case 'date':
      return DATE.test(trimmed) && !Number.isNaN(Date.parse(`${trimmed}T00:00:00Z`)) ? null : 'must be a date (YYYY-MM-DD)';
    case 'timestamp':
      return Number.isNaN(new Date(trimmed).getTime()) ? 'must be a date and time' : null;
    case 'uuid':
    case 'reference':
      return UUID.test(trimmed) ? null : 'must be a record id (a UUID)';
    case 'json':
      try {
        JSON.parse(text);
        return null;
      } catch {
        return 'must be valid JSON';
      }
    default:
      return null;
  }
}

function bounds(field: FieldMeta, number: number): string | null {
  if (field.min !== undefined && number < field.min) return `must be at least ${field.min}`;
  if (field.max !== undefined && number > field.max) return `must be at most ${field.max}`;
  return null;
}

/** The zod schema of a resource's form: each field checked by {@link problemWith}. */
export function formSchema(resource: ResourceMeta) {
  const fields = formFields(resource).filter((field) => !lockedForCaller(resource, field));
  return z.record(z.string(), z.any()).superRefine((values, context) => {
    for (const field of fields) {
      const problem = problemWith(field, values[field.name] as FormValue);
      if (problem) {
        context.addIssue({ code: 'custom', path: [field.name], message: problem });
      }
    }
  });
}

/** A local date-time for an input of type datetime-local, from an ISO timestamp. */
export function toLocalDateTime(iso: string): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}T${pad(date.getHours())}:${pad(date.getMinutes())}:${pad(date.getSeconds())}`;
}

/** A value as text for tables and record pages. */
export function display(field: FieldMeta | undefined, value: unknown): string {
  if (value === null || value === undefined) return '—';
  if (Array.isArray(value)) return value.map((item) => display(undefined, item)).join(', ');
  if (typeof value === 'object') {
    const object = value as Record<string, unknown>;
    return 'id' in object ? String(object.id) : JSON.stringify(value);
  }
  if (typeof value === 'boolean') return value ? 'yes' : 'no';
  if ((field?.type === 'timestamp' || field === undefined) && typeof value === 'string' && /^\d{4}-\d{2}-\d{2}T/.test(value)) {
    return formatTimestamp(value);
  }
  return String(value);
}

export function formatTimestamp(iso: string): string {
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? iso : date.toLocaleString();
}
