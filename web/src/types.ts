// The shapes of Plinth's API as the web app reads them (docs/design.md section 5).

export type FieldType =
  | 'string' | 'text' | 'integer' | 'long' | 'decimal' | 'boolean' | 'date' | 'timestamp'
  | 'uuid' | 'enum' | 'json' | 'reference' | 'references';

export interface FieldMeta {
  name: string;
  type: FieldType;
  required: boolean;
  unique: boolean;
  readOnly: boolean;
  minLength?: number;
  maxLength?: number;
  pattern?: string;
  min?: number;
  max?: number;
  precision?: number;
  scale?: number;
  values?: string[];
  default?: unknown;
  description?: string | null;
  reference?: { to: string; onDelete: string; maxItems?: number };
  pii: boolean;
}

export interface LifecycleMeta {
  states: string[];
  initial: string;
  transitions: Record<string, string[]>;
  readOnlyStates?: string[];
}

export type Action = 'read' | 'create' | 'update' | 'delete' | 'transition';

export interface ResourceMeta {
  name: string;
  path: string;
  description?: string | null;
  requireIfMatch: boolean;
  events: boolean;
  fields: FieldMeta[];
  lifecycle: LifecycleMeta;
  relations: { name: string; resource: string; field: string }[];
  access: {
    actions: Action[];
    readOnlyFields?: string[];
    transitions: string[] | null;
    rows: 'own' | 'all';
  };
}

export interface Me {
  username: string;
  roles: string[];
  authentication: string;
  admin: boolean;
  csrfToken?: string;
}

export type ResourceRecord = Record<string, unknown> & {
  id: string;
  status: string;
  version: number;
  createdAt: string;
  updatedAt: string;
  createdBy?: string | null;
  updatedBy?: string | null;
};

export interface Page<T> {
  data: T[];
  page: { limit: number; nextCursor: string | null; total?: number; totalIsEstimate?: boolean };
}

export interface FieldProblem {
  field: string;
  message: string;
}

export interface PlinthEvent {
  eventId: string;
  type: string;
  resource: string;
  recordVersion: number;
  correlationId?: string | null;
  principal?: string | null;
  payload: { timestamp?: string; from?: string; to?: string; reason?: string | null; data?: unknown };
}

export const SYSTEM_FIELDS = ['id', 'status', 'version', 'createdAt', 'updatedAt', 'createdBy', 'updatedBy'] as const;

export function can(resource: ResourceMeta, action: Action): boolean {
  return resource.access.actions.includes(action);
}
