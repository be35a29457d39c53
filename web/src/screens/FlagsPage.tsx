import { Badge, Paper, Switch, Table, Text } from '@mantine/core';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { get, request } from '../api';
import { display } from '../fields';
import { ErrorAlert, PageHeader, runAndNotify } from '../ui';

interface Flag {
  name: string;
  description?: string | null;
  builtIn: boolean;
  enabled: boolean;
  rolloutPercent: number;
  roles: string[];
  updatedAt: string | null;
  updatedBy: string | null;
}

export function FlagsPage() {
  const queryClient = useQueryClient();
  const flags = useQuery({ queryKey: ['flags'], queryFn: () => get<{ data: Flag[] }>('/api/v1/_admin/flags').then((body) => body.data) });
  const toggle = (flag: Flag, enabled: boolean) =>
    runAndNotify(
      () => request(`/api/v1/_admin/flags/${encodeURIComponent(flag.name)}`, { method: 'PATCH', body: { enabled }, contentType: 'application/merge-patch+json' }),
      `${flag.name} is ${enabled ? 'on' : 'off'}.`,
      () => queryClient.invalidateQueries({ queryKey: ['flags'] }),
    );
  return (
    <>
      <PageHeader title="Feature flags" subtitle="Changes reach every instance within seconds" />
      {flags.error && <ErrorAlert error={flags.error} />}
      <Paper withBorder style={{ overflowX: 'auto' }}>
        <Table striped aria-label="Feature flags">
          <Table.Thead>
            <Table.Tr>
              <Table.Th>Flag</Table.Th>
              <Table.Th>On</Table.Th>
              <Table.Th>Rollout</Table.Th>
              <Table.Th>Roles</Table.Th>
              <Table.Th>Changed</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {flags.data?.map((flag) => (
              <Table.Tr key={flag.name}>
                <Table.Td>
                  <Text size="sm" fw={700}>
                    {flag.name} {flag.builtIn && <Badge size="xs" variant="outline" color="gray.8">built in</Badge>}
                  </Text>
                  <Text size="xs">{flag.description}</Text>
                </Table.Td>
                <Table.Td>
                  <Switch aria-label={`Flag ${flag.name} on`} checked={flag.enabled} onChange={(event) => void toggle(flag, event.currentTarget.checked)} />
                </Table.Td>
                <Table.Td>{flag.rolloutPercent} %</Table.Td>
                <Table.Td>{flag.roles.join(', ') || 'every role'}</Table.Td>
                <Table.Td>
                  <Text size="xs">
                    {display(undefined, flag.updatedAt)} {flag.updatedBy ? `by ${flag.updatedBy}` : ''}
                  </Text>
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </Paper>
    </>
  );
}
