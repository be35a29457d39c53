import { useState } from 'react';
import { Alert, Anchor, Button, Code, CopyButton, Group, Loader, Modal, NativeSelect, Paper, Stack, Switch, Table, TagsInput, Text, TextInput, Title } from '@mantine/core';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { Link, useParams } from 'react-router';
import { ApiError, get, request } from '../api';
import { display } from '../fields';
import { ConfirmButton, ErrorAlert, notifyFailure, PageHeader, runAndNotify, StateText } from '../ui';

interface Webhook {
  id: string;
  url: string;
  eventTypes: string[];
  active: boolean;
  headerNames: string[];
  description: string | null;
  circuit: 'CLOSED' | 'OPEN' | 'HALF_OPEN';
  createdAt: string;
  secret?: string;
}

interface Delivery {
  id: string;
  eventId: string;
  eventType: string;
  recordId: string;
  recordVersion: number;
  status: 'PENDING' | 'DELIVERED' | 'DEAD';
  attempts: number;
  createdAt: string;
  nextAttemptAt: string | null;
  lastStatus: number | null;
  lastError: string | null;
  attemptLog: { at: string; statusCode: number | null; durationMs: number; error: string | null }[];
}

const CIRCUIT_TEXT = { CLOSED: 'closed (healthy)', OPEN: 'open (paused)', HALF_OPEN: 'half-open (probing)' } as const;

export function WebhooksPage() {
  const queryClient = useQueryClient();
  const hooks = useQuery({ queryKey: ['webhooks'], queryFn: () => get<{ data: Webhook[] }>('/api/v1/_admin/webhooks').then((b) => b.data), refetchInterval: 5000 });
  const refresh = () => queryClient.invalidateQueries({ queryKey: ['webhooks'] });
  const setActive = (hook: Webhook, active: boolean) =>
    runAndNotify(() => request(`/api/v1/_admin/webhooks/${hook.id}`, { method: 'PATCH', body: { active } }),
      `The webhook to ${hook.url} is ${active ? 'active' : 'paused'}.`, refresh);
  return (
    <>
      <PageHeader title="Webhooks" subtitle="Endpoints that receive events, signed, with retries and a circuit breaker each" />
      <Stack gap="lg">
        <CreateWebhook />
        {hooks.error && <ErrorAlert error={hooks.error} />}
        <Paper withBorder style={{ overflowX: 'auto' }}>
          <Table striped aria-label="Webhooks">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>Endpoint</Table.Th>
                <Table.Th>Events</Table.Th>
                <Table.Th>Circuit</Table.Th>
                <Table.Th>Active</Table.Th>
                <Table.Th>Actions</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {hooks.data?.map((hook) => (
                <Table.Tr key={hook.id}>
                  <Table.Td style={{ overflowWrap: 'anywhere' }}>
                    <Anchor component={Link} to={`/admin/webhooks/${hook.id}`} size="sm">
                      {hook.url}
                    </Anchor>
                  </Table.Td>
                  <Table.Td>{hook.eventTypes.join(', ')}</Table.Td>
                  <Table.Td>
                    <StateText up={hook.circuit === 'CLOSED'}>{CIRCUIT_TEXT[hook.circuit]}</StateText>
                  </Table.Td>
                  <Table.Td>
                    <Switch aria-label={`Webhook to ${hook.url} active`} checked={hook.active} onChange={(e) => void setActive(hook, e.currentTarget.checked)} />
                  </Table.Td>
                  <Table.Td>
                    <ConfirmButton
                      size="xs"
                      label="Delete"
                      aria-label={`Delete the webhook to ${hook.url}`}
                      confirmLabel="Delete the webhook"
                      question={`Delete the webhook to ${hook.url}? Its delivery log goes with it.`}
                      onConfirm={() => runAndNotify(() => request(`/api/v1/_admin/webhooks/${hook.id}`, { method: 'DELETE' }), 'Deleted the webhook.', refresh)}
                    />
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
          {hooks.data?.length === 0 && (
            <Text p="md" size="sm">
              No webhooks yet.
            </Text>
          )}
        </Paper>
      </Stack>
    </>
  );
}

function CreateWebhook() {
  const queryClient = useQueryClient();
  const [url, setUrl] = useState('');
  const [types, setTypes] = useState<string[]>(['*']);
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [created, setCreated] = useState<Webhook | null>(null);
  const [busy, setBusy] = useState(false);
  async function submit(event: React.FormEvent) {
    event.preventDefault();
    setBusy(true);
    setErrors({});
    try {
      const response = await request<Webhook>('/api/v1/_admin/webhooks', { method: 'POST', body: { url, eventTypes: types } });
      setCreated(response.body);
      setUrl('');
      await queryClient.invalidateQueries({ queryKey: ['webhooks'] });
    } catch (error) {
      if (error instanceof ApiError && error.details.length > 0) {
        setErrors(Object.fromEntries(error.details.map((problem) => [problem.field, problem.message])));
      } else {
        notifyFailure(error);
      }
    } finally {
      setBusy(false);
    }
  }
  return (
    <Paper withBorder p="md">
      <Title order={2} size="h4" mb="sm">
        New webhook
      </Title>
      <form onSubmit={submit} aria-label="New webhook">
        <Group align="flex-start" wrap="wrap">
          <TextInput label="Endpoint URL" required value={url} onChange={(e) => setUrl(e.currentTarget.value)} error={errors.url} w={360} placeholder="https://example.com/plinth" />
          <TagsInput label="Event types" description="ENTITY_CREATED, ENTITY_* or *" value={types} onChange={setTypes} error={errors.eventTypes} w={300} />
          <Button type="submit" mt={25} loading={busy} disabled={!url || types.length === 0}>
            Create webhook
          </Button>
        </Group>
      </form>
      <Modal opened={created !== null} onClose={() => setCreated(null)} title={<Text fw={700}>The webhook's signing secret</Text>} centered size="lg">
        {created && (
          <Stack>
            <Alert color="yellow" c="dark" role="status">
              This is the only time the secret is shown. Give it to the receiver: it checks each delivery's Plinth-Signature with it.
            </Alert>
            <Code block data-testid="new-webhook-secret">
              {created.secret}
            </Code>
            <Group justify="flex-end">
              <CopyButton value={created.secret ?? ''}>{({ copied, copy }) => <Button variant="default" onClick={copy}>{copied ? 'Copied' : 'Copy'}</Button>}</CopyButton>
              <Button onClick={() => setCreated(null)}>I have copied it</Button>
            </Group>
          </Stack>
        )}
      </Modal>
    </Paper>
  );
}

export function WebhookDeliveriesPage() {
  const { id } = useParams();
  const queryClient = useQueryClient();
  const [status, setStatus] = useState('');
  const hook = useQuery({ queryKey: ['webhooks', id], queryFn: () => get<Webhook>(`/api/v1/_admin/webhooks/${id}`), refetchInterval: 5000 });
  const log = useQuery({
    queryKey: ['webhooks', id, 'deliveries', status],
    queryFn: () => get<{ data: Delivery[] }>(`/api/v1/_admin/webhooks/${id}/deliveries?limit=50${status ? `&status=${status}` : ''}`).then((b) => b.data),
    refetchInterval: 5000,
  });
  const replay = (delivery: Delivery) =>
    runAndNotify(() => request(`/api/v1/_admin/webhooks/${id}/deliveries/${delivery.id}/replay`, { method: 'POST' }),
      `Sending ${delivery.eventType} again.`, () => queryClient.invalidateQueries({ queryKey: ['webhooks', id, 'deliveries'] }));
  if (hook.isPending) return <Loader aria-label="Loading" />;
  if (hook.error) return <ErrorAlert error={hook.error} />;
  return (
    <>
      <PageHeader title="Webhook deliveries" subtitle={hook.data?.url}>
        <Button component={Link} to="/admin/webhooks" variant="default">
          All webhooks
        </Button>
      </PageHeader>
      <Group mb="md" gap="lg">
        <Text size="sm">
          Circuit: <StateText up={hook.data?.circuit === 'CLOSED'} testId="webhook-circuit">{hook.data ? CIRCUIT_TEXT[hook.data.circuit] : ''}</StateText>
        </Text>
        <NativeSelect label="Show" size="xs" value={status} onChange={(e) => setStatus(e.currentTarget.value)} data={[{ value: '', label: 'all' }, 'PENDING', 'DELIVERED', 'DEAD']} />
      </Group>
      {log.error && <ErrorAlert error={log.error} />}
      <Paper withBorder style={{ overflowX: 'auto' }}>
        <Table striped aria-label="Deliveries">
          <Table.Thead>
            <Table.Tr>
              <Table.Th>Event</Table.Th>
              <Table.Th>Record</Table.Th>
              <Table.Th>State</Table.Th>
              <Table.Th>Attempts</Table.Th>
              <Table.Th>Last answer</Table.Th>
              <Table.Th>Actions</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {log.data?.map((delivery) => (
              <Table.Tr key={delivery.id}>
                <Table.Td>
                  <Text size="sm">{delivery.eventType}</Text>
                  <Text size="xs">{display(undefined, delivery.createdAt)}</Text>
                </Table.Td>
                <Table.Td>
                  <Text size="xs">
                    {delivery.recordId.slice(0, 8)} v{delivery.recordVersion}
                  </Text>
                </Table.Td>
                <Table.Td>
                  <StateText up={delivery.status === 'DELIVERED'}>{delivery.status}</StateText>
                  {delivery.nextAttemptAt && <Text size="xs">next {display(undefined, delivery.nextAttemptAt)}</Text>}
                </Table.Td>
                <Table.Td>
                  <Text size="sm">{delivery.attempts}</Text>
                  {delivery.attemptLog.map((attempt) => (
                    <Text size="xs" key={attempt.at}>
                      {display(undefined, attempt.at)}: {attempt.statusCode ?? attempt.error} ({attempt.durationMs} ms)
                    </Text>
                  ))}
                </Table.Td>
                <Table.Td>
                  <Text size="sm">{delivery.lastStatus ?? delivery.lastError ?? '—'}</Text>
                </Table.Td>
                <Table.Td>
                  {delivery.status !== 'PENDING' && (
                    <Button size="xs" variant="default" onClick={() => void replay(delivery)} aria-label={`Replay ${delivery.eventType} ${delivery.id}`}>
                      Replay
                    </Button>
                  )}
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
        {log.data?.length === 0 && (
          <Text p="md" size="sm">
            No deliveries{status ? ` in state ${status}` : ''}.
          </Text>
        )}
      </Paper>
    </>
  );
}
