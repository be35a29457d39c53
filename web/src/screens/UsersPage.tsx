import { useState } from 'react';
import { Button, Group, Modal, MultiSelect, Paper, PasswordInput, Stack, Switch, Table, Text, TextInput, Title } from '@mantine/core';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { ApiError, describeError, get, request } from '../api';
import { display } from '../fields';
import { ConfirmButton, ErrorAlert, notifySuccess, PageHeader, runAndNotify, StateText } from '../ui';
import { CreateKey, KeyTable } from './Keys';

interface User {
  id: string;
  username: string;
  roles: string[];
  disabled: boolean;
  createdAt: string;
  lastLoginAt: string | null;
}

interface Role {
  name: string;
  description?: string | null;
}

function useRoles() {
  return useQuery({ queryKey: ['roles'], queryFn: () => get<{ data: Role[] }>('/api/v1/_admin/roles').then((body) => body.data) });
}

export function UsersPage() {
  const queryClient = useQueryClient();
  const users = useQuery({ queryKey: ['users'], queryFn: () => get<{ data: User[] }>('/api/v1/_admin/users').then((body) => body.data) });
  const roles = useRoles();
  const [editing, setEditing] = useState<User | null>(null);
  const [keysOf, setKeysOf] = useState<User | null>(null);

  const act = (action: () => Promise<unknown>, message: string) =>
    runAndNotify(action, message, () => queryClient.invalidateQueries({ queryKey: ['users'] }));

  return (
    <>
      <PageHeader title="Users and roles" subtitle="Local users, their roles and their API keys" />
      <Stack gap="lg">
        <CreateUser roles={roles.data ?? []} />
        {users.error && <ErrorAlert error={users.error} />}
        <Paper withBorder style={{ overflowX: 'auto' }}>
          <Table striped aria-label="Users">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>Username</Table.Th>
                <Table.Th>Roles</Table.Th>
                <Table.Th>State</Table.Th>
                <Table.Th>Last login</Table.Th>
                <Table.Th>Actions</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {users.data?.map((user) => (
                <Table.Tr key={user.id}>
                  <Table.Td>{user.username}</Table.Td>
                  <Table.Td>{user.roles.join(', ') || '—'}</Table.Td>
                  <Table.Td>
                    <StateText up={!user.disabled}>{user.disabled ? 'disabled' : 'enabled'}</StateText>
                  </Table.Td>
                  <Table.Td>{display(undefined, user.lastLoginAt)}</Table.Td>
                  <Table.Td>
                    <Group gap={6} wrap="nowrap">
                      <Button size="xs" variant="default" onClick={() => setEditing(user)} aria-label={`Edit ${user.username}`}>
                        Edit
                      </Button>
                      <Button size="xs" variant="default" onClick={() => setKeysOf(user)} aria-label={`API keys of ${user.username}`}>
                        Keys
                      </Button>
                      <Button size="xs" variant="default" onClick={() => act(() => request(`/api/v1/_admin/users/${encodeURIComponent(user.username)}/unlock`, { method: 'POST' }), `Unlocked ${user.username}.`)}>
                        Unlock
                      </Button>
                      <ConfirmButton
                        size="xs"
                        label="Delete"
                        aria-label={`Delete ${user.username}`}
                        confirmLabel={`Delete ${user.username}`}
                        question={`Delete the user ${user.username}? Their sessions and API keys stop working.`}
                        onConfirm={() => act(() => request(`/api/v1/_admin/users/${encodeURIComponent(user.username)}`, { method: 'DELETE' }), `Deleted ${user.username}.`)}
                      />
                    </Group>
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Paper>
        <RoleList roles={roles.data ?? []} />
      </Stack>
      <Modal opened={editing !== null} onClose={() => setEditing(null)} title={<Text fw={700}>Edit {editing?.username}</Text>} centered>
        {editing && <EditUser user={editing} roles={roles.data ?? []} onDone={() => setEditing(null)} />}
      </Modal>
      <Modal opened={keysOf !== null} onClose={() => setKeysOf(null)} title={<Text fw={700}>API keys of {keysOf?.username}</Text>} centered size="xl">
        {keysOf && (
          <Stack>
            <CreateKey createUrl={`/api/v1/_admin/users/${encodeURIComponent(keysOf.username)}/keys`} label="Create key for this user" />
            <KeyTable listUrl={`/api/v1/_admin/users/${encodeURIComponent(keysOf.username)}/keys`} revokeUrl={(id) => `/api/v1/_admin/keys/${id}`} />
          </Stack>
        )}
      </Modal>
    </>
  );
}

function CreateUser({ roles }: { roles: Role[] }) {
  const queryClient = useQueryClient();
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [chosen, setChosen] = useState<string[]>([]);
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [busy, setBusy] = useState(false);
  async function submit(event: React.FormEvent) {
    event.preventDefault();
    setBusy(true);
    setErrors({});
    try {
      await request('/api/v1/_admin/users', { method: 'POST', body: { username, password, roles: chosen } });
      notifySuccess(`Created the user ${username}.`);
      setUsername('');
      setPassword('');
      setChosen([]);
      await queryClient.invalidateQueries({ queryKey: ['users'] });
    } catch (error) {
      if (error instanceof ApiError && error.details.length > 0) {
        setErrors(Object.fromEntries(error.details.map((problem) => [problem.field, problem.message])));
      } else {
        setErrors({ username: describeError(error) });
      }
    } finally {
      setBusy(false);
    }
  }
  return (
    <Paper withBorder p="md">
      <Title order={2} size="h4" mb="sm">
        New user
      </Title>
      <form onSubmit={submit} aria-label="New user">
        <Group align="flex-start" wrap="wrap">
          <TextInput label="Username" required value={username} onChange={(e) => setUsername(e.currentTarget.value)} error={errors.username} w={200} autoComplete="off" />
          <PasswordInput label="Password" required value={password} onChange={(e) => setPassword(e.currentTarget.value)} error={errors.password} w={200} autoComplete="new-password" />
          <MultiSelect label="Roles" data={roles.map((role) => role.name)} value={chosen} onChange={setChosen} error={errors.roles} w={260} />
          <Button type="submit" mt={25} loading={busy} disabled={!username || !password}>
            Create user
          </Button>
        </Group>
      </form>
    </Paper>
  );
}

function EditUser({ user, roles, onDone }: { user: User; roles: Role[]; onDone: () => void }) {
  const queryClient = useQueryClient();
  const [chosen, setChosen] = useState(user.roles);
  const [disabled, setDisabled] = useState(user.disabled);
  const [password, setPassword] = useState('');
  const [error, setError] = useState<unknown>(null);
  async function save() {
    try {
      const body: Record<string, unknown> = { roles: chosen, disabled };
      if (password) body.password = password;
      await request(`/api/v1/_admin/users/${encodeURIComponent(user.username)}`, { method: 'PATCH', body });
      notifySuccess(`Saved ${user.username}.`);
      await queryClient.invalidateQueries({ queryKey: ['users'] });
      onDone();
    } catch (failure) {
      setError(failure);
    }
  }
  return (
    <Stack>
      {error !== null && <ErrorAlert error={error} title="Not saved" />}
      <MultiSelect label="Roles" data={roles.map((role) => role.name)} value={chosen} onChange={setChosen} />
      <Switch label="Disabled (cannot log in or use keys)" checked={disabled} onChange={(e) => setDisabled(e.currentTarget.checked)} />
      <PasswordInput label="New password (optional)" value={password} onChange={(e) => setPassword(e.currentTarget.value)} autoComplete="new-password" />
      <Group justify="flex-end">
        <Button variant="default" onClick={onDone}>
          Cancel
        </Button>
        <Button onClick={() => void save()}>Save</Button>
      </Group>
    </Stack>
  );
}

function RoleList({ roles }: { roles: Role[] }) {
  return (
    <Paper withBorder p="md">
      <Title order={2} size="h4" mb="sm">
        Roles
      </Title>
      <Text size="sm" mb="xs">
        Roles are declared in the definitions file beside the resources (docs/security.md).
      </Text>
      <Table aria-label="Roles">
        <Table.Tbody>
          {roles.map((role) => (
            <Table.Tr key={role.name}>
              <Table.Th w={160}>{role.name}</Table.Th>
              <Table.Td>{role.description ?? '—'}</Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Paper>
  );
}
