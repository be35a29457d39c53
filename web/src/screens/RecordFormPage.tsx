import { useMemo, useState } from 'react';
import { Alert, Button, Group, Loader, Modal, Paper, Stack, Text } from '@mantine/core';
import { zodResolver } from '@hookform/resolvers/zod';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { Controller, useForm, type Resolver } from 'react-hook-form';
import { Link, useNavigate, useParams } from 'react-router';
import { ApiError, request, recordsUrl } from '../api';
import {
  createBody, formFields, formSchema, initialValues, lockedForCaller, patchBody, recordValues, type FormValues,
} from '../fields';
import { noun, title, useResource } from '../hooks';
import { can, type ResourceMeta, type ResourceRecord } from '../types';
import { ErrorAlert, notifySuccess, PageHeader } from '../ui';
import { FieldInput } from './FieldInput';
import { NotFoundPage } from './NotFoundPage';

export function RecordFormPage() {
  const { path, id } = useParams();
  const { resource, isPending, error } = useResource(path);
  const loaded = useQuery({
    queryKey: ['records', path, 'one', id],
    queryFn: () => request<ResourceRecord>(recordsUrl(path!, id)).then((response) => response.body),
    enabled: Boolean(id && resource),
  });
  if (isPending || (id && loaded.isPending)) return <Loader aria-label="Loading" />;
  if (error) return <ErrorAlert error={error} />;
  if (!resource) return <NotFoundPage />;
  if (id && loaded.error) return <ErrorAlert error={loaded.error} title="The record could not be loaded" />;
  if (!can(resource, id ? 'update' : 'create')) {
    return <ErrorAlert title="Not allowed" error={new Error(`Your roles may not ${id ? 'edit' : 'create'} ${resource.path}.`)} />;
  }
  return <RecordForm key={`${resource.path}/${id ?? 'new'}/${loaded.data?.version ?? ''}`} resource={resource} record={id ? loaded.data : undefined} />;
}

function RecordForm({ resource, record }: { resource: ResourceMeta; record?: ResourceRecord }) {
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const before = useMemo(() => (record ? recordValues(resource, record) : initialValues(resource)), [resource, record]);
  const form = useForm<FormValues>({
    defaultValues: before,
    resolver: zodResolver(formSchema(resource)) as unknown as Resolver<FormValues>,
    // Errors appear on submit, then follow each change; not on blur, where a message appearing under the field would
    // move the button being clicked.
    mode: 'onSubmit',
    reValidateMode: 'onChange',
  });
  const [rootError, setRootError] = useState<unknown>(null);
  const [conflict, setConflict] = useState<{ latest: ResourceRecord; mine: FormValues } | null>(null);
  const editable = record ? !(resource.lifecycle.readOnlyStates ?? []).includes(record.status) : true;

  function showServerErrors(error: unknown) {
    if (error instanceof ApiError && error.details.length > 0) {
      const unplaced = error.details.filter((problem) => {
        if (formFields(resource).some((field) => field.name === problem.field)) {
          form.setError(problem.field, { type: 'server', message: problem.message }, { shouldFocus: true });
          return false;
        }
        return true;
      });
      // Problems with a field of the form are shown at the field; the rest (if any) above the form.
      setRootError(new ApiError(error.status, error.code, `${error.message} See the marked fields.`, unplaced, error.correlationId));
    } else {
      setRootError(error);
    }
  }

  async function save(values: FormValues, version?: number, base: FormValues = before) {
    setRootError(null);
    try {
      if (!record) {
        const response = await request<ResourceRecord>(recordsUrl(resource.path), { method: 'POST', body: createBody(resource, values) });
        await queryClient.invalidateQueries({ queryKey: ['records', resource.path] });
        notifySuccess(`Created the ${noun(resource)} ${response.body.id}.`);
        navigate(`/r/${resource.path}/${response.body.id}`);
        return;
      }
      const patch = patchBody(resource, base, values);
      if (Object.keys(patch).length === 0) {
        navigate(`/r/${resource.path}/${record.id}`);
        return;
      }
      await request<ResourceRecord>(recordsUrl(resource.path, record.id), {
        method: 'PATCH',
        body: patch,
        contentType: 'application/merge-patch+json',
        headers: { 'If-Match': `"${version ?? record.version}"` },
      });
      await queryClient.invalidateQueries({ queryKey: ['records', resource.path] });
      notifySuccess(`Saved ${noun(resource)} ${record.id}.`);
      navigate(`/r/${resource.path}/${record.id}`);
    } catch (error) {
      if (record && error instanceof ApiError && error.status === 412) {
        const latest = await request<ResourceRecord>(recordsUrl(resource.path, record.id));
        setConflict({ latest: latest.body, mine: values });
        return;
      }
      showServerErrors(error);
    }
  }

  const heading = record ? `Edit ${noun(resource)}` : `New ${noun(resource)}`;
  return (
    <>
      <PageHeader title={heading} subtitle={record ? `${record.id} · version ${record.version} · ${record.status}` : title(resource.path)} />
      {!editable && (
        <Alert color="yellow" c="dark" mb="md" role="status">
          This record is {record?.status}: its lifecycle makes it read-only. Saving will be refused.
        </Alert>
      )}
      <Paper withBorder p="md" maw={720}>
        <form onSubmit={form.handleSubmit((values) => save(values))} noValidate aria-label={heading}>
          <Stack>
            {rootError !== null && <ErrorAlert error={rootError} title="Not saved" />}
            {formFields(resource).map((field) => (
              <Controller
                key={field.name}
                name={field.name}
                control={form.control}
                render={({ field: control, fieldState }) => (
                  <FieldInput
                    field={field}
                    value={control.value}
                    onChange={control.onChange}
                    onBlur={control.onBlur}
                    error={fieldState.error?.message}
                    disabled={lockedForCaller(resource, field)}
                  />
                )}
              />
            ))}
            <Group justify="flex-end">
              <Button variant="default" component={Link} to={record ? `/r/${resource.path}/${record.id}` : `/r/${resource.path}`}>
                Cancel
              </Button>
              <Button type="submit" loading={form.formState.isSubmitting}>
                {record ? 'Save changes' : `Create ${noun(resource)}`}
              </Button>
            </Group>
          </Stack>
        </form>
      </Paper>
      <Modal opened={conflict !== null} onClose={() => setConflict(null)} title={<Text fw={700}>Someone else changed this record</Text>} centered size="lg">
        {conflict && (
          <Stack>
            <Text>
              While you were editing, {conflict.latest.updatedBy ?? 'someone'} saved version {conflict.latest.version} of this record (you
              started from version {record?.version}). Choose what to do:
            </Text>
            <ConflictTable resource={resource} before={before} mine={conflict.mine} latest={recordValues(resource, conflict.latest)} />
            <Group justify="flex-end">
              <Button
                variant="default"
                onClick={async () => {
                  setConflict(null);
                  await queryClient.invalidateQueries({ queryKey: ['records', resource.path, 'one', record?.id] });
                }}
              >
                Reload (discard my changes)
              </Button>
              <Button
                onClick={async () => {
                  const { latest, mine } = conflict;
                  setConflict(null);
                  await save(mine, latest.version, before);
                }}
              >
                Apply my changes to the latest version
              </Button>
            </Group>
          </Stack>
        )}
      </Modal>
    </>
  );
}

function ConflictTable({ resource, before, mine, latest }: { resource: ResourceMeta; before: FormValues; mine: FormValues; latest: FormValues }) {
  const rows = formFields(resource).filter(
    (field) => JSON.stringify(before[field.name]) !== JSON.stringify(mine[field.name]) || JSON.stringify(before[field.name]) !== JSON.stringify(latest[field.name]),
  );
  return (
    <table style={{ borderCollapse: 'collapse', width: '100%' }}>
      <caption style={{ textAlign: 'left', fontSize: 14, paddingBottom: 4 }}>Fields that differ</caption>
      <thead>
        <tr>
          <th style={{ textAlign: 'left' }}>Field</th>
          <th style={{ textAlign: 'left' }}>Yours</th>
          <th style={{ textAlign: 'left' }}>Theirs (latest)</th>
        </tr>
      </thead>
      <tbody>
        {rows.map((field) => (
          <tr key={field.name}>
            <td>{field.name}</td>
            <td>{String(mine[field.name])}</td>
            <td>{String(latest[field.name])}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
