import { useState } from 'react';
import {
  Anchor, Badge, Button, Grid, Group, Loader, Modal, Paper, Stack, Table, Text, Textarea, Timeline, Title,
} from '@mantine/core';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { Link, useNavigate, useParams } from 'react-router';
import { get, request, recordsUrl } from '../api';
import { display, formatTimestamp } from '../fields';
import { noun, title, useResource } from '../hooks';
import { can, type Page, type PlinthEvent, type ResourceMeta, type ResourceRecord } from '../types';
import { ConfirmButton, ErrorAlert, notifyFailure, notifySuccess, PageHeader } from '../ui';
import { NotFoundPage } from './NotFoundPage';

export function RecordPage() {
  const { path, id } = useParams();
  const { resource, all, isPending, error } = useResource(path);
  const record = useQuery({
    queryKey: ['records', path, 'one', id],
    queryFn: () => get<ResourceRecord>(recordsUrl(path!, id)),
    enabled: Boolean(resource),
  });
  if (isPending || (resource && record.isPending)) return <Loader aria-label="Loading" />;
  if (error) return <ErrorAlert error={error} />;
  if (!resource) return <NotFoundPage />;
  if (record.error) return <ErrorAlert error={record.error} title={`The ${noun(resource)} could not be loaded`} />;
  return <RecordView resource={resource} all={all ?? []} record={record.data!} />;
}

/** The states this caller may move the record to from its current state: the lifecycle's and the roles' rules. */
export function allowedTargets(resource: ResourceMeta, status: string): string[] {
  if (!can(resource, 'transition')) return [];
  const targets = resource.lifecycle.transitions[status] ?? [];
  const allowed = resource.access.transitions;
  return allowed === null ? targets : targets.filter((target) => allowed.includes(target));
}

function RecordView({ resource, all, record }: { resource: ResourceMeta; all: ResourceMeta[]; record: ResourceRecord }) {
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const [moveTo, setMoveTo] = useState<string | null>(null);
  const [reason, setReason] = useState('');
  const [moving, setMoving] = useState(false);
  const readOnly = (resource.lifecycle.readOnlyStates ?? []).includes(record.status);
  const targets = allowedTargets(resource, record.status);

  async function refresh() {
    await queryClient.invalidateQueries({ queryKey: ['records', resource.path] });
    await queryClient.invalidateQueries({ queryKey: ['events', resource.path, record.id] });
  }

  async function transition() {
    setMoving(true);
    try {
      await request(`${recordsUrl(resource.path, record.id)}/transitions`, {
        method: 'POST',
        body: reason.trim() ? { to: moveTo, reason: reason.trim() } : { to: moveTo },
        headers: { 'If-Match': `"${record.version}"` },
      });
      notifySuccess(`Moved the ${noun(resource)} to ${moveTo}.`);
      setMoveTo(null);
      setReason('');
      await refresh();
    } catch (error) {
      notifyFailure(error);
      await refresh();
    } finally {
      setMoving(false);
    }
  }

  async function remove() {
    try {
      await request(recordsUrl(resource.path, record.id), { method: 'DELETE', headers: { 'If-Match': `"${record.version}"` } });
      notifySuccess(`Deleted the ${noun(resource)} ${record.id}.`);
      queryClient.removeQueries({ queryKey: ['records', resource.path, 'one', record.id] });
      await queryClient.invalidateQueries({ queryKey: ['records', resource.path] });
      navigate(`/r/${resource.path}`);
    } catch (error) {
      notifyFailure(error);
    }
  }

  return (
    <>
      <PageHeader
        title={`${title(resource.name)} ${String(record[resource.fields[0]?.name] ?? record.id).slice(0, 60)}`}
        subtitle={
          <>
            <Anchor component={Link} to={`/r/${resource.path}`} size="sm">
              {title(resource.path)}
            </Anchor>{' '}
            · {record.id}
          </>
        }
      >
        {can(resource, 'update') && !readOnly && (
          <Button component={Link} to={`/r/${resource.path}/${record.id}/edit`}>
            Edit
          </Button>
        )}
        {can(resource, 'delete') && (
          <ConfirmButton
            label="Delete"
            confirmLabel={`Delete this ${noun(resource)}`}
            question={`Delete this ${noun(resource)} (${record.id})? This cannot be undone.`}
            onConfirm={remove}
          />
        )}
      </PageHeader>

      <Grid>
        <Grid.Col span={{ base: 12, md: 7 }}>
          <Paper withBorder p="md">
            <Group justify="space-between" mb="sm">
              <Group gap="xs">
                <Text fw={700}>State</Text>
                <Badge size="lg" variant="filled" color="blue.9" data-testid="record-status">
                  {record.status}
                </Badge>
                {readOnly && <Text size="sm">(read-only)</Text>}
              </Group>
              <Group gap="xs" role="group" aria-label="Transitions">
                {targets.map((target) => (
                  <Button key={target} variant="light" c="blue.9" size="xs" onClick={() => setMoveTo(target)}>
                    Move to {target}
                  </Button>
                ))}
              </Group>
            </Group>
            <Table variant="vertical" layout="fixed" withTableBorder={false} aria-label="Fields">
              <Table.Tbody>
                {resource.fields.map((field) => (
                  <Table.Tr key={field.name}>
                    <Table.Th w={160}>{field.name}</Table.Th>
                    <Table.Td style={{ overflowWrap: 'anywhere' }}>
                      <ReferenceValue all={all} to={field.reference?.to} value={record[field.name]} text={display(field, record[field.name])} />
                    </Table.Td>
                  </Table.Tr>
                ))}
                {(['version', 'createdAt', 'createdBy', 'updatedAt', 'updatedBy'] as const).map((name) => (
                  <Table.Tr key={name}>
                    <Table.Th w={160}>{name}</Table.Th>
                    <Table.Td>{display(undefined, record[name])}</Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </Paper>
          {resource.relations.map((relation) => (
            <RelatedRecords key={relation.name} all={all} relation={relation} id={record.id} />
          ))}
        </Grid.Col>
        <Grid.Col span={{ base: 12, md: 5 }}>
          <History resource={resource} id={record.id} />
        </Grid.Col>
      </Grid>

      <Modal opened={moveTo !== null} onClose={() => setMoveTo(null)} title={<Text fw={700}>Move to {moveTo}</Text>} centered>
        <Stack>
          <Text>
            Move this {noun(resource)} from {record.status} to {moveTo}?
            {(resource.lifecycle.readOnlyStates ?? []).includes(moveTo ?? '') && ` In ${moveTo} it can no longer be edited.`}
          </Text>
          <Textarea label="Reason (optional)" description="Kept in the record's history and its event" value={reason} onChange={(e) => setReason(e.currentTarget.value)} maxLength={500} />
          <Group justify="flex-end">
            <Button variant="default" onClick={() => setMoveTo(null)}>
              Cancel
            </Button>
            <Button loading={moving} onClick={() => void transition()}>
              Move to {moveTo}
            </Button>
          </Group>
        </Stack>
      </Modal>
    </>
  );
}

function ReferenceValue({ all, to, value, text }: { all: ResourceMeta[]; to?: string; value: unknown; text: string }) {
  const target = to ? all.find((resource) => resource.name === to) : undefined;
  if (!target || value === null || value === undefined) return <>{text}</>;
  const ids = (Array.isArray(value) ? value : [value]).map((item) => (typeof item === 'object' && item ? String((item as { id: unknown }).id) : String(item)));
  return (
    <Group gap={6}>
      {ids.map((id) => (
        <Anchor key={id} component={Link} to={`/r/${target.path}/${id}`} size="sm">
          {id}
        </Anchor>
      ))}
    </Group>
  );
}

function RelatedRecords({ all, relation, id }: { all: ResourceMeta[]; relation: { name: string; resource: string; field: string }; id: string }) {
  const target = all.find((resource) => resource.name === relation.resource);
  const url = target ? `${recordsUrl(target.path)}?${new URLSearchParams({ [relation.field]: id, limit: '10' })}` : '';
  const related = useQuery({ queryKey: ['records', target?.path, 'related', url], queryFn: () => get<Page<ResourceRecord>>(url), enabled: Boolean(target) });
  if (!target) return null;
  const shown = target.fields.filter((field) => field.name !== relation.field).slice(0, 3);
  return (
    <Paper withBorder p="md" mt="md">
      <Group justify="space-between" mb="xs">
        <Title order={2} size="h4">
          {title(relation.name)}
        </Title>
        <Anchor component={Link} to={`/r/${target.path}?${new URLSearchParams({ [relation.field]: id })}`} size="sm">
          All {relation.name}
        </Anchor>
      </Group>
      {related.isPending && <Loader size="xs" aria-label="Loading" />}
      {related.error && <ErrorAlert error={related.error} />}
      {related.data?.data.length === 0 && <Text size="sm">None.</Text>}
      {related.data && related.data.data.length > 0 && (
        <Table aria-label={title(relation.name)}>
          <Table.Tbody>
            {related.data.data.map((row) => (
              <Table.Tr key={row.id}>
                <Table.Td>
                  <Anchor component={Link} to={`/r/${target.path}/${row.id}`} size="sm">
                    {row.id.slice(0, 8)}
                  </Anchor>
                </Table.Td>
                {shown.map((field) => (
                  <Table.Td key={field.name}>{display(field, row[field.name])}</Table.Td>
                ))}
                <Table.Td>{row.status}</Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      )}
    </Paper>
  );
}

function History({ resource, id }: { resource: ResourceMeta; id: string }) {
  const history = useQuery({
    queryKey: ['events', resource.path, id],
    queryFn: () => get<Page<PlinthEvent>>(`${recordsUrl(resource.path, id)}/events?limit=50`),
    enabled: resource.events,
  });
  return (
    <Paper withBorder p="md">
      <Title order={2} size="h4" mb="sm">
        History
      </Title>
      {!resource.events && <Text size="sm">Changes of {resource.path} are not recorded as events.</Text>}
      {history.isPending && resource.events && <Loader size="xs" aria-label="Loading history" />}
      {history.error && <ErrorAlert error={history.error} />}
      {history.data && (
        <Timeline bulletSize={14} lineWidth={2} active={history.data.data.length}>
          {history.data.data.map((event) => (
            <Timeline.Item key={event.eventId} title={<Text size="sm" fw={700}>{event.type}</Text>}>
              <Text size="xs">
                version {event.recordVersion} · {event.principal ?? 'unknown'}
                {event.payload.timestamp ? ` · ${formatTimestamp(event.payload.timestamp)}` : ''}
              </Text>
              {event.payload.from && (
                <Text size="xs">
                  {event.payload.from} → {event.payload.to}
                  {event.payload.reason ? `: ${event.payload.reason}` : ''}
                </Text>
              )}
            </Timeline.Item>
          ))}
        </Timeline>
      )}
    </Paper>
  );
}
