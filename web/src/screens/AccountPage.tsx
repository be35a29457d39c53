import { useState } from 'react';
import { Button, Paper, PasswordInput, Stack, Text, Title } from '@mantine/core';
import { describeError, request } from '../api';
import { useAuth } from '../auth';
import { notifySuccess, PageHeader } from '../ui';
import { CreateKey, KeyTable } from './Keys';

export function AccountPage() {
  const { me } = useAuth();
  const local = me?.authentication !== 'token';
  return (
    <>
      <PageHeader title="My account" subtitle={`${me?.username} · roles: ${me?.roles.join(', ') || 'none'}`} />
      {!local && <Text>Your account is managed by your identity provider.</Text>}
      {local && (
        <Stack gap="lg">
          <section aria-labelledby="my-keys">
            <Title order={2} size="h3" id="my-keys" mb="sm">
              My API keys
            </Title>
            <Stack>
              <CreateKey createUrl="/api/v1/_auth/keys" />
              <KeyTable listUrl="/api/v1/_auth/keys" revokeUrl={(id) => `/api/v1/_auth/keys/${id}`} />
            </Stack>
          </section>
          <section aria-labelledby="my-password">
            <Title order={2} size="h3" id="my-password" mb="sm">
              Change my password
            </Title>
            <PasswordForm />
          </section>
        </Stack>
      )}
    </>
  );
}

function PasswordForm() {
  const [current, setCurrent] = useState('');
  const [next, setNext] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  async function submit(event: React.FormEvent) {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      await request('/api/v1/_auth/password', { method: 'PUT', body: { currentPassword: current, newPassword: next } });
      setCurrent('');
      setNext('');
      notifySuccess('Your password is changed. Your other sessions have ended.');
    } catch (failure) {
      setError(describeError(failure));
    } finally {
      setBusy(false);
    }
  }
  return (
    <Paper withBorder p="md" maw={420}>
      <form onSubmit={submit} aria-label="Change my password">
        <Stack>
          <PasswordInput label="Current password" autoComplete="current-password" value={current} onChange={(e) => setCurrent(e.currentTarget.value)} required />
          <PasswordInput label="New password" autoComplete="new-password" value={next} onChange={(e) => setNext(e.currentTarget.value)} required error={error ?? undefined} />
          <Button type="submit" loading={busy} disabled={!current || !next}>
            Change password
          </Button>
        </Stack>
      </form>
    </Paper>
  );
}
