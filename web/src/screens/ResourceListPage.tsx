import { useEffect, useMemo, useState } from 'react';
import {
  Anchor, Badge, Button, Checkbox, CloseButton, Group, Loader, Menu, NativeSelect, Paper, Select,
  Skeleton, Stack, Table, Text, TextInput, UnstyledButton, VisuallyHidden,
} from '@mantine/core';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { Link, useParams, useSearchParams } from 'react-router';
import { get, recordsUrl } from '../api';
import { display } from '../fields';
import { noun, title, useResource } from '../hooks';
import { can, type FieldMeta, type Page, type ResourceMeta, type ResourceRecord } from '../types';
import { ErrorAlert, PageHeader, StateText } from '../ui';
import { NotFoundPage } from './NotFoundPage';

const RESERVED = new Set(['sort', 'limit', 'cursor', 'fields', 'count', 'include']);
const OPERATOR_LABELS: Record<string, string> = {
  eq: 'is', ne: 'is not', icontains: 'contains', istartsWith: 'starts with', gt: '>', gte: '≥', lt: '<', lte: '≤',
  in: 'is one of', isNull: 'is empty',
};

interface Column {
  name: string;
  label: string;
  field?: FieldMeta;
}

function columnsOf(resource: ResourceMeta): Column[] {
  return [
    ...resource.fields.map((field) => ({ name: field.name, label: field.name, field })),
    { name: 'status', label: 'status' },
    { name: 'createdAt', label: 'createdAt' },
    { name: 'updatedAt', label: 'updatedAt' },
    { name: 'createdBy', label: 'createdBy' },
    { name: 'version', label: 'version' },
  ];
}

function operatorsFor(type: string | undefined, optional: boolean): string[] {
  const base = (() => {
    switch (type) {
      case 'string':
      case 'text':
        return ['icontains', 'eq', 'ne', 'istartsWith', 'in'];
      case 'integer':
      case 'long':
      case 'decimal':
      case 'date':
      case 'timestamp':
        return ['eq', 'ne', 'gt', 'gte', 'lt', 'lte'];
      case 'json':
        return [];
      case 'references':
        return [];
      default:
        return ['eq', 'ne', 'in'];
    }
  })();
  return optional ? [...base, 'isNull'] : base;
}

interface Filter {
  key: string;
  field: string;
  op: string;
  value: string;
}

function parseFilters(params: URLSearchParams): Filter[] {
  const filters: Filter[] = [];
  params.forEach((value, key) => {
    if (RESERVED.has(key)) return;
    const match = /^([^[]+)(?:\[([a-zA-Z]+)\])?$/.exec(key);
    if (match) filters.push({ key, field: match[1], op: match[2] ?? 'eq', value });
  });
  return filters;
}

export function ResourceListPage() {
  const { path } = useParams();
  const { resource, isPending, error } = useResource(path);
  if (isPending) return <Loader aria-label="Loading" />;
  if (error) return <ErrorAlert error={error} />;
  if (!resource) return <NotFoundPage />;
  return <ResourceList key={resource.path} resource={resource} />;
}

function storedColumns(resource: ResourceMeta): string[] {
  try {
    const saved = JSON.parse(localStorage.getItem(`plinth.columns.${resource.path}`) ?? 'null');
    if (Array.isArray(saved) && saved.length > 0) return saved;
  } catch {
    // fall through to the defaults
  }
  return [...resource.fields.slice(0, 5).map((field) => field.name), 'status', 'createdAt'];
}

function ResourceList({ resource }: { resource: ResourceMeta }) {
  const [params, setParams] = useSearchParams();
  const [cursors, setCursors] = useState<string[]>([]);
  const [visible, setVisible] = useState<string[]>(() => storedColumns(resource));
  const allColumns = useMemo(() => columnsOf(resource), [resource]);
  const columns = allColumns.filter((column) => visible.includes(column.name));
  const sort = params.get('sort') ?? '-createdAt';
  const limit = params.get('limit') ?? '20';
  const filters = parseFilters(params);

  useEffect(() => {
    localStorage.setItem(`plinth.columns.${resource.path}`, JSON.stringify(visible));
  }, [resource.path, visible]);

  const apiQuery = new URLSearchParams(params);
  apiQuery.set('sort', sort);
  apiQuery.set('limit', limit);
  apiQuery.set('fields', columns.filter((column) => column.name !== 'id').map((column) => column.name).join(',') || 'status');
  apiQuery.set('count', 'estimated');
  const url = `${recordsUrl(resource.path)}?${apiQuery.toString()}`;
  const list = useQuery({
    queryKey: ['records', resource.path, 'list', url],
    queryFn: () => get<Page<ResourceRecord>>(url),
    placeholderData: keepPreviousData,
  });

  function update(change: (next: URLSearchParams) => void, keepCursor = false) {
    const next = new URLSearchParams(params);
    change(next);
    if (!keepCursor) {
      next.delete('cursor');
      setCursors([]);
    }
    setParams(next);
  }

  function sortBy(name: string) {
    const current = sort.split(',')[0];
    const next = current === name ? `-${name}` : current === `-${name}` ? name : name === 'createdAt' || name === 'updatedAt' ? `-${name}` : name;
    update((p) => p.set('sort', next));
  }

  const sortState = (name: string): 'ascending' | 'descending' | 'none' => {
    const first = sort.split(',')[0];
    return first === name ? 'ascending' : first === `-${name}` ? 'descending' : 'none';
  };

  const nextCursor = list.data?.page.nextCursor ?? null;
  const pageNumber = cursors.length + 1;

  return (
    <>
      <PageHeader
        title={title(resource.path)}
        subtitle={
          list.data?.page.total !== undefined
            ? `${list.data.page.totalIsEstimate ? 'About ' : ''}${list.data.page.total.toLocaleString()} ${list.data.page.total === 1 ? 'record matches' : 'records match'}`
            : resource.description ?? undefined
        }
      >
        {can(resource, 'create') && (
          <Button component={Link} to={`/r/${resource.path}/new`}>
            New {noun(resource)}
          </Button>
        )}
      </PageHeader>

      <FilterBar
        resource={resource}
        filters={filters}
        onAdd={(key, value) => update((p) => p.set(key, value))}
        onRemove={(key) => update((p) => p.delete(key))}
        columns={allColumns}
        visible={visible}
        onColumns={setVisible}
      />

      {list.error && <ErrorAlert error={list.error} title="The list could not be loaded" />}

      <Paper withBorder mt="md" style={{ overflowX: 'auto' }}>
        <Table striped highlightOnHover verticalSpacing="xs" aria-label={`${title(resource.path)} records`} aria-busy={list.isFetching}>
          <Table.Thead>
            <Table.Tr>
              <Table.Th>
                <VisuallyHidden>Open</VisuallyHidden>
              </Table.Th>
              {columns.map((column) => (
                <Table.Th key={column.name} aria-sort={sortState(column.name)}>
                  {column.field?.type === 'json' || column.field?.type === 'references' ? (
                    column.label
                  ) : (
                    <UnstyledButton onClick={() => sortBy(column.name)} fw={700} fz="sm">
                      {column.label}
                      {sortState(column.name) === 'ascending' ? ' ▲' : sortState(column.name) === 'descending' ? ' ▼' : ''}
                      <VisuallyHidden>, sort</VisuallyHidden>
                    </UnstyledButton>
                  )}
                </Table.Th>
              ))}
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {list.isPending &&
              Array.from({ length: 5 }, (_, row) => (
                <Table.Tr key={row}>
                  <Table.Td colSpan={columns.length + 1}>
                    <Skeleton height={18} />
                  </Table.Td>
                </Table.Tr>
              ))}
            {list.data?.data.map((record) => (
              <Table.Tr key={record.id}>
                <Table.Td>
                  <Anchor component={Link} to={`/r/${resource.path}/${record.id}`} size="sm" aria-label={`Open ${noun(resource)} ${record.id}`}>
                    Open
                  </Anchor>
                </Table.Td>
                {columns.map((column) => (
                  <Table.Td key={column.name}>
                    {column.name === 'status' ? (
                      <StateText>{String(record.status)}</StateText>
                    ) : (
                      <Text size="sm" lineClamp={2}>{display(column.field, record[column.name])}</Text>
                    )}
                  </Table.Td>
                ))}
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
        {list.data && list.data.data.length === 0 && (
          <Stack align="center" p="xl" gap="xs">
            <Text fw={700}>No records</Text>
            <Text size="sm" c="dimmed">
              {filters.length > 0 ? 'No record matches these filters.' : `There are no ${resource.path} yet.`}
            </Text>
          </Stack>
        )}
      </Paper>

      <Group justify="space-between" mt="sm" wrap="wrap">
        <Group gap="xs">
          <Button
            variant="default"
            disabled={cursors.length === 0}
            onClick={() => {
              const previous = cursors.slice(0, -1);
              setCursors(previous);
              update((p) => (previous.length ? p.set('cursor', previous[previous.length - 1]) : p.delete('cursor')), true);
            }}
          >
            Previous page
          </Button>
          <Text size="sm" aria-live="polite">
            Page {pageNumber}
          </Text>
          <Button
            variant="default"
            disabled={!nextCursor}
            onClick={() => {
              setCursors([...cursors, nextCursor!]);
              update((p) => p.set('cursor', nextCursor!), true);
            }}
          >
            Next page
          </Button>
          {list.isFetching && !list.isPending && <Loader size="xs" aria-label="Loading" />}
        </Group>
        <NativeSelect
          label="Rows per page"
          size="xs"
          value={limit}
          data={['10', '20', '50', '100']}
          onChange={(event) => update((p) => p.set('limit', event.currentTarget.value))}
          style={{ display: 'flex', alignItems: 'center', gap: 8 }}
        />
      </Group>
    </>
  );
}

function FilterBar({
  resource, filters, onAdd, onRemove, columns, visible, onColumns,
}: {
  resource: ResourceMeta;
  filters: Filter[];
  onAdd: (key: string, value: string) => void;
  onRemove: (key: string) => void;
  columns: Column[];
  visible: string[];
  onColumns: (names: string[]) => void;
}) {
  const filterable = [
    ...resource.fields.filter((field) => operatorsFor(field.type, !field.required).length > 0).map((field) => ({ name: field.name, type: field.type, optional: !field.required, values: field.values })),
    { name: 'status', type: 'enum', optional: false, values: resource.lifecycle.states },
    { name: 'createdAt', type: 'timestamp', optional: false, values: undefined },
    { name: 'updatedAt', type: 'timestamp', optional: false, values: undefined },
    { name: 'id', type: 'uuid', optional: false, values: undefined },
  ];
  const [fieldName, setFieldName] = useState<string | null>(filterable[0]?.name ?? null);
  const chosen = filterable.find((candidate) => candidate.name === fieldName);
  const operators = chosen ? operatorsFor(chosen.type, chosen.optional) : [];
  const [op, setOp] = useState<string>(operators[0] ?? 'eq');
  const [value, setValue] = useState('');
  const effectiveOp = operators.includes(op) ? op : operators[0];

  function add(event: React.FormEvent) {
    event.preventDefault();
    if (!chosen) return;
    const filterValue = effectiveOp === 'isNull' ? (value === 'false' ? 'false' : 'true') : value;
    if (effectiveOp !== 'isNull' && value === '') return;
    onAdd(`${chosen.name}[${effectiveOp}]`, chosen.type === 'timestamp' && !Number.isNaN(Date.parse(filterValue)) ? new Date(filterValue).toISOString() : filterValue);
    setValue('');
  }

  return (
    <Paper withBorder p="sm">
      <form onSubmit={add} aria-label="Add a filter">
        <Group align="flex-end" gap="xs" wrap="wrap">
          <Select
            label="Filter on"
            size="sm"
            w={170}
            data={filterable.map((candidate) => candidate.name)}
            value={fieldName}
            onChange={(next) => {
              setFieldName(next);
              setValue('');
            }}
            allowDeselect={false}
          />
          <Select
            label="Condition"
            size="sm"
            w={140}
            data={operators.map((candidate) => ({ value: candidate, label: OPERATOR_LABELS[candidate] ?? candidate }))}
            value={effectiveOp}
            onChange={(next) => next && setOp(next)}
            allowDeselect={false}
          />
          {effectiveOp === 'isNull' ? null : chosen?.values && (effectiveOp === 'eq' || effectiveOp === 'ne') ? (
            <Select label="Value" size="sm" w={170} data={chosen.values} value={value || null} onChange={(next) => setValue(next ?? '')} />
          ) : chosen?.type === 'boolean' ? (
            <Select label="Value" size="sm" w={120} data={['true', 'false']} value={value || null} onChange={(next) => setValue(next ?? '')} />
          ) : (
            <TextInput
              label="Value"
              size="sm"
              w={200}
              type={chosen?.type === 'date' ? 'date' : chosen?.type === 'timestamp' ? 'datetime-local' : 'text'}
              value={value}
              onChange={(event) => setValue(event.currentTarget.value)}
            />
          )}
          <Button type="submit" variant="default">
            Add filter
          </Button>
          <Menu closeOnItemClick={false} position="bottom-end">
            <Menu.Target>
              <Button variant="default">Columns</Button>
            </Menu.Target>
            <Menu.Dropdown>
              {columns.map((column) => (
                <Menu.Item key={column.name} component="div">
                  <Checkbox
                    label={column.label}
                    checked={visible.includes(column.name)}
                    onChange={(event) =>
                      onColumns(
                        event.currentTarget.checked
                          ? columns.map((c) => c.name).filter((name) => name === column.name || visible.includes(name))
                          : visible.filter((name) => name !== column.name),
                      )
                    }
                  />
                </Menu.Item>
              ))}
            </Menu.Dropdown>
          </Menu>
        </Group>
      </form>
      {filters.length > 0 && (
        <Group gap="xs" mt="sm" aria-label="Active filters" role="list">
          {filters.map((filter) => (
            <Badge
              key={filter.key}
              role="listitem"
              variant="outline"
              color="blue.9"
              size="lg"
              tt="none"
              rightSection={<CloseButton size="xs" aria-label={`Remove filter ${filter.field} ${OPERATOR_LABELS[filter.op] ?? filter.op} ${filter.value}`} onClick={() => onRemove(filter.key)} />}
            >
              {filter.field} {OPERATOR_LABELS[filter.op] ?? filter.op} {filter.op === 'isNull' ? (filter.value === 'true' ? '' : '(no: has a value)') : filter.value}
            </Badge>
          ))}
        </Group>
      )}
    </Paper>
  );
}
