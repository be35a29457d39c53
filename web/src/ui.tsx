import { useEffect, useState, type ReactNode } from 'react';
import { Alert, Box, Button, Group, Modal, Stack, Text, Title, type ButtonProps } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { ApiError, describeError } from './api';

/** The screen's one h1, with its actions on the right; also the document title. */
export function PageHeader({ title, children, subtitle }: { title: string; subtitle?: ReactNode; children?: ReactNode }) {
  useEffect(() => {
    document.title = `${title} · Plinth`;
  }, [title]);
  return (
    <Group justify="space-between" align="flex-start" mb="md" wrap="wrap" gap="sm">
      <Stack gap={2}>
        <Title order={1} size="h2">
          {title}
        </Title>
        {subtitle && (
          <Text size="sm" c="dimmed">
            {subtitle}
          </Text>
        )}
      </Stack>
      {children && <Group gap="xs">{children}</Group>}
    </Group>
  );
}

export function ErrorAlert({ error, title = 'Something went wrong' }: { error: unknown; title?: string }) {
  const details = error instanceof ApiError ? error.details : [];
  return (
    <Alert color="red" variant="light" title={title} role="alert" c="red.9">
      {describeError(error)}
      {details.length > 0 && (
        <ul style={{ margin: '4px 0 0', paddingLeft: 20 }}>
          {details.map((problem) => (
            <li key={`${problem.field}:${problem.message}`}>
              {problem.field}: {problem.message}
            </li>
          ))}
        </ul>
      )}
    </Alert>
  );
}

export function notifySuccess(message: string) {
  notifications.show({ color: 'green.9', title: 'Done', message, autoClose: 4000, closeButtonProps: { 'aria-label': 'Close notification' } });
}

export function notifyFailure(error: unknown) {
  notifications.show({ color: 'red.9', title: 'Failed', message: describeError(error), autoClose: 8000, closeButtonProps: { 'aria-label': 'Close notification' } });
}

/** Runs an action, shows its outcome as a toast, then refreshes what it changed (whether it worked or not). */
export async function runAndNotify(action: () => Promise<unknown>, success: string, refresh: () => Promise<unknown>) {
  try {
    await action();
    notifySuccess(success);
  } catch (error) {
    notifyFailure(error);
  }
  await refresh();
}

/** A button that asks before doing something that cannot be undone. */
export function ConfirmButton({
  label,
  question,
  confirmLabel,
  onConfirm,
  ...buttonProps
}: {
  label: string;
  question: ReactNode;
  confirmLabel: string;
  onConfirm: () => Promise<unknown> | void;
} & ButtonProps) {
  const [open, setOpen] = useState(false);
  const [busy, setBusy] = useState(false);
  return (
    <>
      <Button color="red.9" variant="outline" {...buttonProps} onClick={() => setOpen(true)}>
        {label}
      </Button>
      <Modal opened={open} onClose={() => setOpen(false)} title={<Text fw={700}>Please confirm</Text>} centered>
        <Stack>
          <Text>{question}</Text>
          <Group justify="flex-end">
            <Button variant="default" onClick={() => setOpen(false)}>
              Cancel
            </Button>
            <Button
              color="red.9"
              loading={busy}
              onClick={async () => {
                setBusy(true);
                try {
                  await onConfirm();
                  setOpen(false);
                } finally {
                  setBusy(false);
                }
              }}
            >
              {confirmLabel}
            </Button>
          </Group>
        </Stack>
      </Modal>
    </>
  );
}

/**
 * A state shown as text in a bordered chip: readable at any width (no truncation) and at full contrast; `up` adds a
 * green or red marker, never colour alone.
 */
export function StateText({ children, up, testId }: { children: ReactNode; up?: boolean; testId?: string }) {
  return (
    <Box
      component="span"
      data-testid={testId}
      style={{
        display: 'inline-flex', alignItems: 'center', gap: 6, whiteSpace: 'nowrap', fontSize: 13, fontWeight: 600,
        border: '1px solid var(--mantine-color-gray-5)', borderRadius: 12, padding: '1px 8px', color: 'var(--mantine-color-black)',
      }}
    >
      {up !== undefined && (
        <span aria-hidden style={{ width: 8, height: 8, borderRadius: 4, background: up ? 'var(--mantine-color-green-8)' : 'var(--mantine-color-red-8)' }} />
      )}
      {children}
    </Box>
  );
}
