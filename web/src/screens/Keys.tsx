import { useState } from 'react';
import { Alert, Button, Code, CopyButton, Group, Modal, Paper, Stack, Table, Text, TextInput } from '@mantine/core';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { describeError, get, request } from '../api';
import { display } from '../fields';
import { ConfirmButton, ErrorAlert, notifyFailure, notifySuccess, StateText } from '../ui';

export interface ApiKey {
  id: string;
  username: string;
  name: string;
  prefix: string;
  createdAt: string;
  expiresAt: string | null;
  lastUsedAt: string | null;
  revokedAt: string | null;
  active: boolean;
  secret?: string;
}

/** A list of API keys with revoke buttons; `listUrl` is the caller's own keys or an admin's view of all. */
export function KeyTable({ listUrl, revokeUrl, showOwner }: { listUrl: string; revokeUrl: (id: string) => string; showOwner?: boolean }) {
  const queryClient = useQueryClient();
  const keys = useQuery({ queryKey: ['keys', listUrl], queryFn: () => get<{ data: ApiKey[] }>(listUrl).then((body) => body.data) });
  if (keys.error) return <ErrorAlert error={keys.error} />;
  return (
    <Paper withBorder style={{ overflowX: 'auto' }}>
      <Table aria-label="API keys" striped>
        <Table.Thead>
          <Table.Tr>
            {showOwner && <Table.Th>User</Table.Th>}
            <Table.Th>Name</Table.Th>
            <Table.Th>Prefix</Table.Th>
            <Table.Th>Created</Table.Th>
            <Table.Th>Expires</Table.Th>
            <Table.Th>Last used</Table.Th>
            <Table.Th>State</Table.Th>
            <Table.Th>Actions</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {keys.data?.map((key) => (
            <Table.Tr key={key.id}>
              {showOwner && <Table.Td>{key.username}</Table.Td>}
              <Table.Td>{key.name}</Table.Td>
              <Table.Td>
                <Code>{key.prefix}</Code>
              </Table.Td>
              <Table.Td>{display(undefined, key.createdAt)}</Table.Td>
              <Table.Td>{display(undefined, key.expiresAt)}</Table.Td>
              <Table.Td>{display(undefined, key.lastUsedAt)}</Table.Td>
              <Table.Td>
                <StateText up={key.active}>{key.active ? 'active' : key.revokedAt ? 'revoked' : 'expired'}</StateText>
              </Table.Td>
              <Table.Td>
                {key.active && (
                  <ConfirmButton
                    size="xs"
                    label="Revoke"
                    aria-label={`Revoke key ${key.name}`}
                    confirmLabel="Revoke the key"
                    question={`Revoke the key "${key.name}" (${key.prefix}...)? Programs using it lose access at once.`}
                    onConfirm={async () => {
                      try {
                        await request(revokeUrl(key.id), { method: 'DELETE' });
                        notifySuccess(`Revoked the key ${key.name}.`);
                        await queryClient.invalidateQueries({ queryKey: ['keys'] });
                      } catch (error) {
                        notifyFailure(error);
                      }
                    }}
                  />
                )}
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
      {keys.data?.length === 0 && (
        <Text p="md" size="sm">
          No API keys yet.
        </Text>
      )}
    </Paper>
  );
}

/** A form that creates a key and shows its secret once, in a dialog with a copy button. */
export function CreateKey({ createUrl, label = 'Create key' }: { createUrl: string; label?: string }) {
  const queryClient = useQueryClient();
  const [name, setName] = useState('');
  const [expires, setExpires] = useState('');
  const [error, setError] = useState<unknown>(null);
  const [created, setCreated] = useState<ApiKey | null>(null);
  const [busy, setBusy] = useState(false);

  async function submit(event: React.FormEvent) {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const body: Record<string, string> = { name };
      if (expires) body.expiresAt = new Date(expires).toISOString();
      const response = await request<ApiKey>(createUrl, { method: 'POST', body });
      setCreated(response.body);
      setName('');
      setExpires('');
      await queryClient.invalidateQueries({ queryKey: ['keys'] });
    } catch (failure) {
      setError(failure);
    } finally {
      setBusy(false);
    }
  }

  return (
    <>
      <form onSubmit={submit} aria-label={label}>
        <Group align="flex-end" wrap="wrap">
          <TextInput label="Key name" required value={name} onChange={(e) => setName(e.currentTarget.value)} w={220} error={error ? describeError(error) : undefined} />
          <TextInput label="Expires (optional)" type="datetime-local" value={expires} onChange={(e) => setExpires(e.currentTarget.value)} w={220} />
          <Button type="submit" loading={busy} disabled={!name.trim()}>
            {label}
          </Button>
        </Group>
      </form>
      <Modal opened={created !== null} onClose={() => setCreated(null)} title={<Text fw={700}>Your new API key</Text>} centered size="lg">
        {created && (
          <Stack>
            <Alert color="yellow" c="dark" role="status">
              This is the only time the key is shown. Copy it now and keep it somewhere safe.
            </Alert>
            <Code block data-testid="new-key-secret">
              {created.secret}
            </Code>
            <Group justify="flex-end">
              <CopyButton value={created.secret ?? ''}>
                {({ copied, copy }) => <Button onClick={copy} variant="default">{copied ? 'Copied' : 'Copy'}</Button>}
              </CopyButton>
              <Button onClick={() => setCreated(null)}>I have copied it</Button>
            </Group>
          </Stack>
        )}
      </Modal>
    </>
  );
}
