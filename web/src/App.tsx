import '@mantine/core/styles.css';
import '@mantine/notifications/styles.css';
import './app.css';
import { AppShell, Burger, Button, Group, MantineProvider, NavLink, ScrollArea, Text, Title, Loader, Center } from '@mantine/core';
import { Notifications } from '@mantine/notifications';
import { useDisclosure } from '@mantine/hooks';
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { BrowserRouter, Link, Route, Routes, useLocation } from 'react-router';
import { ApiError } from './api';
import { AuthProvider, useAuth } from './auth';
import { title, useResources } from './hooks';
import { cssVariables, theme } from './theme';
import { LoginPage } from './screens/LoginPage';
import { HomePage } from './screens/HomePage';
import { lazy, Suspense } from 'react';

// Screens load on first use (one chunk each, plus shared ones): the login and start pages need none of them.
const ResourceListPage = lazy(() => import('./screens/ResourceListPage').then((m) => ({ default: m.ResourceListPage })));
const RecordFormPage = lazy(() => import('./screens/RecordFormPage').then((m) => ({ default: m.RecordFormPage })));
const RecordPage = lazy(() => import('./screens/RecordPage').then((m) => ({ default: m.RecordPage })));
const AccountPage = lazy(() => import('./screens/AccountPage').then((m) => ({ default: m.AccountPage })));
const UsersPage = lazy(() => import('./screens/UsersPage').then((m) => ({ default: m.UsersPage })));
const KeysPage = lazy(() => import('./screens/KeysPage').then((m) => ({ default: m.KeysPage })));
const FlagsPage = lazy(() => import('./screens/FlagsPage').then((m) => ({ default: m.FlagsPage })));
const StatusPage = lazy(() => import('./screens/StatusPage').then((m) => ({ default: m.StatusPage })));
const WebhooksPage = lazy(() => import('./screens/WebhooksPage').then((m) => ({ default: m.WebhooksPage })));
const WebhookDeliveriesPage = lazy(() => import('./screens/WebhookDeliveriesPage'));
import { NotFoundPage } from './screens/NotFoundPage';

function makeQueryClient() {
  return new QueryClient({
    defaultOptions: {
      queries: {
        retry: (count, error) => !(error instanceof ApiError && error.status >= 400 && error.status < 500) && count < 2,
        refetchOnWindowFocus: false,
      },
    },
  });
}

export function App() {
  return (
    <MantineProvider theme={theme} cssVariablesResolver={cssVariables} defaultColorScheme="light">
      <Notifications position="bottom-right" />
      <QueryClientProvider client={makeQueryClient()}>
        <BrowserRouter>
          <AuthProvider>
            <Gate />
          </AuthProvider>
        </BrowserRouter>
      </QueryClientProvider>
    </MantineProvider>
  );
}

function Gate() {
  const { me } = useAuth();
  if (me === undefined) {
    return (
      <Center h="100vh" component="main">
        <Loader aria-label="Loading" />
      </Center>
    );
  }
  return me === null ? <LoginPage /> : <Shell />;
}

function Shell() {
  const [opened, { toggle, close }] = useDisclosure();
  const { me, logout } = useAuth();
  const resources = useResources();
  const location = useLocation();
  const active = (prefix: string) => location.pathname === prefix || location.pathname.startsWith(`${prefix}/`);

  return (
    <AppShell header={{ height: 56 }} navbar={{ width: 240, breakpoint: 'sm', collapsed: { mobile: !opened } }} padding="md">
      <AppShell.Header>
        <Group h="100%" px="md" justify="space-between" wrap="nowrap">
          <Group gap="sm" wrap="nowrap">
            <Burger opened={opened} onClick={toggle} hiddenFrom="sm" size="sm" aria-label="Toggle navigation" />
            <Text component={Link} to="/" fw={700} size="lg" c="blue.9" td="none">
              Plinth
            </Text>
          </Group>
          <Group gap="sm" wrap="nowrap">
            <Text size="sm" visibleFrom="xs" data-testid="current-user">
              {me?.username}
            </Text>
            <Button variant="default" size="xs" onClick={() => void logout()}>
              Log out
            </Button>
          </Group>
        </Group>
      </AppShell.Header>
      <AppShell.Navbar p="xs" aria-label="Main navigation" component="nav">
        <ScrollArea>
          <Title order={2} size="xs" c="gray.7" tt="uppercase" px="sm" pt="xs" pb={4}>
            Resources
          </Title>
          {resources.data?.map((resource) => (
            <NavLink
              key={resource.path}
              component={Link}
              to={`/r/${resource.path}`}
              label={title(resource.path)}
              active={active(`/r/${resource.path}`)}
              onClick={close}
            />
          ))}
          {resources.isPending && <Loader size="xs" m="sm" aria-label="Loading resources" />}
          <Title order={2} size="xs" c="gray.7" tt="uppercase" px="sm" pt="md" pb={4}>
            {me?.admin ? 'Administration' : 'Account'}
          </Title>
          <NavLink component={Link} to="/account" label="My account" active={active('/account')} onClick={close} />
          {me?.admin && (
            <>
              <NavLink component={Link} to="/admin/users" label="Users and roles" active={active('/admin/users')} onClick={close} />
              <NavLink component={Link} to="/admin/keys" label="API keys" active={active('/admin/keys')} onClick={close} />
              <NavLink component={Link} to="/admin/flags" label="Feature flags" active={active('/admin/flags')} onClick={close} />
              <NavLink component={Link} to="/admin/webhooks" label="Webhooks" active={active('/admin/webhooks')} onClick={close} />
              <NavLink component={Link} to="/status" label="Status" active={active('/status')} onClick={close} />
            </>
          )}
        </ScrollArea>
      </AppShell.Navbar>
      <AppShell.Main>
        <Suspense fallback={<Loader aria-label="Loading" />}>
        <Routes>
          <Route path="/" element={<HomePage />} />
          <Route path="/r/:path" element={<ResourceListPage />} />
          <Route path="/r/:path/new" element={<RecordFormPage />} />
          <Route path="/r/:path/:id" element={<RecordPage />} />
          <Route path="/r/:path/:id/edit" element={<RecordFormPage />} />
          <Route path="/account" element={<AccountPage />} />
          <Route path="/admin/users" element={<UsersPage />} />
          <Route path="/admin/keys" element={<KeysPage />} />
          <Route path="/admin/flags" element={<FlagsPage />} />
          <Route path="/admin/webhooks" element={<WebhooksPage />} />
          <Route path="/admin/webhooks/:id" element={<WebhookDeliveriesPage />} />
          <Route path="/status" element={<StatusPage />} />
          <Route path="*" element={<NotFoundPage />} />
        </Routes>
        </Suspense>
      </AppShell.Main>
    </AppShell>
  );
}
