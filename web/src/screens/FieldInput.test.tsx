import { describe, expect, it, vi } from 'vitest';
import { render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { MantineProvider } from '@mantine/core';
import { FieldInput } from './FieldInput';
import type { FieldMeta } from '../types';

const field = (overrides: Partial<FieldMeta>): FieldMeta => ({
  name: 'f', type: 'string', required: false, unique: false, readOnly: false, pii: false, ...overrides,
});

function renderInput(meta: FieldMeta, value: string | boolean | string[], error?: string) {
  const onChange = vi.fn();
  render(
    <MantineProvider>
      <FieldInput field={meta} value={value} onChange={onChange} onBlur={() => {}} error={error} />
    </MantineProvider>,
  );
  return onChange;
}

describe('FieldInput', () => {
  it('gives a string field a text box labelled with its name and rules', async () => {
    const onChange = renderInput(field({ name: 'field1', required: true, maxLength: 255 }), '');
    const input = screen.getByRole('textbox', { name: /field1/ });
    expect(screen.getByText('string, at most 255 characters')).toBeInTheDocument();
    await userEvent.type(input, 'a');
    expect(onChange).toHaveBeenCalledWith('a');
  });

  it('shows an error next to its field and marks the input invalid', () => {
    renderInput(field({ name: 'field2', type: 'integer', min: 0 }), '-1', 'must be at least 0');
    expect(screen.getByText('must be at least 0')).toBeInTheDocument();
    expect(screen.getByRole('textbox', { name: /field2/ })).toHaveAttribute('aria-invalid', 'true');
  });

  it('uses a checkbox for booleans and a date input for dates', async () => {
    const onChange = renderInput(field({ name: 'flag', type: 'boolean' }), false);
    await userEvent.click(screen.getByRole('checkbox', { name: 'flag' }));
    expect(onChange).toHaveBeenCalledWith(true);
  });

  it('uses a date input for dates', () => {
    renderInput(field({ name: 'due', type: 'date' }), '2026-11-26');
    expect(document.querySelector('input[type="date"]')).toHaveValue('2026-11-26');
  });
});
