import { Anchor, Card, Loader, SimpleGrid, Text } from '@mantine/core';
import { Link } from 'react-router';
import { useAuth } from '../auth';
import { title, useResources } from '../hooks';
import { ErrorAlert, PageHeader } from '../ui';

export function HomePage() {
  const { me } = useAuth();
  const resources = useResources();
  return (
    <>
      <PageHeader title="Resources" subtitle={`Signed in as ${me?.username} (${me?.roles.join(', ') || 'no roles'})`} />
      {resources.isPending && <Loader aria-label="Loading resources" />}
      {resources.error && <ErrorAlert error={resources.error} />}
      {resources.data?.length === 0 && <Text>Your roles may not read any resource. Ask an administrator for a role.</Text>}
      <SimpleGrid cols={{ base: 1, sm: 2, lg: 3 }}>
        {resources.data?.map((resource) => (
          <Card key={resource.path} withBorder>
            <Anchor component={Link} to={`/r/${resource.path}`} fw={700}>
              {title(resource.path)}
            </Anchor>
            <Text size="sm" c="dimmed" mt={4}>
              {resource.description ?? `${resource.fields.length} fields`}
            </Text>
            <Text size="xs" mt="xs">
              You may: {resource.access.actions.join(', ')}
            </Text>
          </Card>
        ))}
      </SimpleGrid>
    </>
  );
}
