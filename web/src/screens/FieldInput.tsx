import { Checkbox, NumberInput, Select, TagsInput, Textarea, TextInput } from '@mantine/core';
import type { FieldMeta } from '../types';
import type { FormValue } from '../fields';

/** The input that suits a field's declared type, labelled with its name and its rules. */
export function FieldInput({
  field, value, onChange, onBlur, error, disabled,
}: {
  field: FieldMeta;
  value: FormValue;
  onChange: (value: FormValue) => void;
  onBlur: () => void;
  error?: string;
  disabled?: boolean;
}) {
  const common = {
    label: field.name,
    description: describe(field),
    error,
    disabled,
    onBlur,
    withAsterisk: field.required && field.default === undefined,
    name: field.name,
  };
  const text = typeof value === 'string' ? value : '';
  switch (field.type) {
    case 'boolean':
      return <Checkbox label={field.name} description={common.description} checked={value === true} onChange={(e) => onChange(e.currentTarget.checked)} onBlur={onBlur} disabled={disabled} error={error} name={field.name} />;
    case 'text':
    case 'json':
      return <Textarea {...common} autosize minRows={field.type === 'json' ? 4 : 3} maxRows={12} value={text} onChange={(e) => onChange(e.currentTarget.value)} ff={field.type === 'json' ? 'monospace' : undefined} />;
    case 'integer':
      return (
        <NumberInput
          {...common}
          value={text}
          allowDecimal={false}
          clampBehavior="none"
          onChange={(next) => onChange(next === '' ? '' : String(next))}
          inputMode="numeric"
        />
      );
    case 'long':
    case 'decimal':
      return <TextInput {...common} inputMode={field.type === 'long' ? 'numeric' : 'decimal'} value={text} onChange={(e) => onChange(e.currentTarget.value)} />;
    case 'enum':
      return <Select {...common} data={field.values ?? []} value={text || null} onChange={(next) => onChange(next ?? '')} clearable={!field.required} />;
    case 'date':
      return <TextInput {...common} type="date" value={text} onChange={(e) => onChange(e.currentTarget.value)} />;
    case 'timestamp':
      return <TextInput {...common} type="datetime-local" step={1} value={text} onChange={(e) => onChange(e.currentTarget.value)} />;
    case 'references':
      return <TagsInput {...common} value={Array.isArray(value) ? value : []} onChange={(next) => onChange(next)} placeholder="Paste record ids" />;
    default:
      return <TextInput {...common} value={text} onChange={(e) => onChange(e.currentTarget.value)} maxLength={undefined} />;
  }
}

function describe(field: FieldMeta): string | undefined {
  const rules: string[] = [];
  if (field.type === 'reference' || field.type === 'references') rules.push(`id of ${field.reference?.to ?? 'a record'}`);
  else rules.push(field.type);
  if (field.minLength !== undefined) rules.push(`at least ${field.minLength} characters`);
  if (field.maxLength !== undefined) rules.push(`at most ${field.maxLength} characters`);
  if (field.pattern) rules.push(`pattern ${field.pattern}`);
  if (field.min !== undefined) rules.push(`≥ ${field.min}`);
  if (field.max !== undefined) rules.push(`≤ ${field.max}`);
  if (field.unique) rules.push('unique');
  if (field.default !== undefined) rules.push(`default ${String(field.default)}`);
  const text = rules.join(', ');
  return field.description ? `${field.description} (${text})` : text;
}
