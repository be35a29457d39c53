import { PageHeader } from '../ui';
import { KeyTable } from './Keys';

export function KeysPage() {
  return (
    <>
      <PageHeader title="API keys" subtitle="Every user's keys. Create keys for a user on the Users page; your own under My account." />
      <KeyTable listUrl="/api/v1/_admin/keys" revokeUrl={(id) => `/api/v1/_admin/keys/${id}`} showOwner />
    </>
  );
}
