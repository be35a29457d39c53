import { useState } from 'react';
import { Alert, Button, Center, Paper, PasswordInput, Stack, Text, TextInput, Title } from '@mantine/core';
import { ApiError, describeError } from '../api';
import { useAuth } from '../auth';

export function LoginPage() {
  const { login, sessionEnded } = useAuth();
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  document.title = 'Log in · Plinth';

  async function submit(event: React.FormEvent) {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      await login(username, password);
    } catch (failure) {
      if (failure instanceof ApiError && failure.status === 429) {
        setError(`Too many failed logins. Try again in ${failure.retryAfter ?? 'a few'} seconds.`);
      } else if (failure instanceof ApiError && failure.status === 401) {
        setError('The username or password is wrong.');
      } else {
        setError(describeError(failure));
      }
    } finally {
      setBusy(false);
    }
  }

  return (
    <Center component="main" mih="100vh" p="md" bg="gray.1">
      <Paper withBorder shadow="sm" p="xl" w={380} maw="100%">
        <form onSubmit={submit} noValidate>
          <Stack>
            <Title order={1} size="h2">
              Log in to Plinth
            </Title>
            {sessionEnded && !error && (
              <Alert color="yellow" c="dark" role="status">
                Your session has ended. Log in again to continue.
              </Alert>
            )}
            {error && (
              <Alert color="red" c="red.9" role="alert">
                {error}
              </Alert>
            )}
            <TextInput label="Username" autoComplete="username" required value={username} onChange={(e) => setUsername(e.currentTarget.value)} data-autofocus autoFocus />
            <PasswordInput label="Password" autoComplete="current-password" required value={password} onChange={(e) => setPassword(e.currentTarget.value)} />
            <Button type="submit" loading={busy} disabled={!username || !password}>
              Log in
            </Button>
            <Text size="xs" c="dimmed">
              On its first start Plinth creates the user admin and prints its password once in the log.
            </Text>
          </Stack>
        </form>
      </Paper>
    </Center>
  );
}
