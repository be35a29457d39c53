import { StateText } from '../ui';
import { Button, Code, Group, Paper, SimpleGrid, Stack, Text, Title } from '@mantine/core';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { get, request } from '../api';
import { ErrorAlert, PageHeader, runAndNotify } from '../ui';

interface Health {
  status: string;
  components?: Record<string, { status: string; details?: Record<string, unknown> }>;
}

interface EventsStatus {
  paused: boolean;
  activeRelay: boolean;
  backlog: number;
  oldestUnsentAgeSeconds: number;
  lastError: string | null;
  queueUrl: string | null;
  fifo: boolean;
}

interface Info {
  build?: { version?: string; time?: string; name?: string };
}

async function health(): Promise<Health> {
  // Health answers 503 with the same body when something is down: show it rather than fail.
  const response = await fetch('/actuator/health', { headers: { Accept: 'application/json' }, credentials: 'same-origin' });
  return (await response.json()) as Health;
}

export function StatusPage() {
  const queryClient = useQueryClient();
  const state = useQuery({ queryKey: ['status', 'health'], queryFn: health, refetchInterval: 5000 });
  const events = useQuery({ queryKey: ['status', 'events'], queryFn: () => get<EventsStatus>('/api/v1/_admin/events'), refetchInterval: 5000 });
  const info = useQuery({ queryKey: ['status', 'info'], queryFn: () => get<Info>('/actuator/info') });

  const pause = (paused: boolean) =>
    runAndNotify(() => request(`/api/v1/_admin/events/${paused ? 'pause' : 'resume'}`, { method: 'POST' }),
      paused ? 'Publishing is paused; changes are still recorded.' : 'Publishing resumed.',
      () => queryClient.invalidateQueries({ queryKey: ['status', 'events'] }));

  return (
    <>
      <PageHeader title="Status" subtitle="Refreshed every 5 seconds" />
      <SimpleGrid cols={{ base: 1, md: 3 }}>
        <Paper withBorder p="md">
          <Title order={2} size="h4" mb="sm">
            Health
          </Title>
          {state.error && <ErrorAlert error={state.error} />}
          {state.data && (
            <Stack gap={6}>
              <Group gap="xs">
                <Text>Overall</Text>
                <StateText up={state.data.status === 'UP'} testId="health-status">
                  {state.data.status}
                </StateText>
              </Group>
              {Object.entries(state.data.components ?? {}).map(([name, component]) => (
                <Group key={name} gap="xs">
                  <Text size="sm">{name}</Text>
                  <StateText up={component.status === 'UP'}>{component.status}</StateText>
                </Group>
              ))}
            </Stack>
          )}
        </Paper>
        <Paper withBorder p="md">
          <Title order={2} size="h4" mb="sm">
            Events and queue
          </Title>
          {events.error && <ErrorAlert error={events.error} />}
          {events.data && (
            <Stack gap={6}>
              <Text size="sm">
                Outbox backlog: <b data-testid="outbox-backlog">{events.data.backlog}</b> events
                {events.data.backlog > 0 ? `, oldest ${events.data.oldestUnsentAgeSeconds.toFixed(1)} s` : ''}
              </Text>
              <Text size="sm">Publishing: {events.data.paused ? 'paused' : 'running'}</Text>
              <Text size="sm">Relay on this instance: {events.data.activeRelay ? 'active' : 'standby'}</Text>
              <Text size="sm">
                Queue: <Code>{events.data.queueUrl ?? 'none'}</Code> {events.data.fifo ? '(FIFO)' : ''}
              </Text>
              {events.data.lastError && <Text size="sm" c="red.9">Last error: {events.data.lastError}</Text>}
              <Group>
                <Button size="xs" variant="default" onClick={() => void pause(!events.data.paused)}>
                  {events.data.paused ? 'Resume publishing' : 'Pause publishing'}
                </Button>
              </Group>
            </Stack>
          )}
        </Paper>
        <Paper withBorder p="md">
          <Title order={2} size="h4" mb="sm">
            Version
          </Title>
          {info.error && <ErrorAlert error={info.error} />}
          {info.data && (
            <Stack gap={6}>
              <Text size="sm">
                Plinth <b data-testid="version">{info.data.build?.version ?? 'unknown'}</b>
              </Text>
              {info.data.build?.time && <Text size="sm">Built {new Date(info.data.build.time).toLocaleString()}</Text>}
            </Stack>
          )}
        </Paper>
      </SimpleGrid>
    </>
  );
}
