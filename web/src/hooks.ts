import { useQuery } from '@tanstack/react-query';
import { get } from './api';
import type { ResourceMeta } from './types';

/** The declared resources the caller may read, with what the caller may do (GET /api/v1/_meta/resources). */
export function useResources() {
  return useQuery({
    queryKey: ['meta', 'resources'],
    queryFn: () => get<{ data: ResourceMeta[] }>('/api/v1/_meta/resources').then((body) => body.data),
    staleTime: 60_000,
  });
}

export function useResource(path: string | undefined): { resource?: ResourceMeta; all?: ResourceMeta[]; isPending: boolean; error: unknown } {
  const query = useResources();
  return {
    resource: query.data?.find((candidate) => candidate.path === path),
    all: query.data,
    isPending: query.isPending,
    error: query.error,
  };
}

/** "entity" -> "Entity", "purchase_line" -> "Purchase line". */
export function title(name: string): string {
  const words = name.replace(/([a-z])([A-Z])/g, '$1 $2').replace(/[_-]+/g, ' ').toLowerCase();
  return words.charAt(0).toUpperCase() + words.slice(1);
}

/** The resource's name as a noun in a sentence: "entity", "log entry" (from logEntry). */
export function noun(resource: { name: string }): string {
  return title(resource.name).toLowerCase();
}
