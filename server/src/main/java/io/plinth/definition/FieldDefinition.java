package io.plinth.definition;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * One declared field of a resource, with its constraints.
 *
 * <p>Values are checked in their Java form: {@code String} for string, text and enum; {@code Integer}, {@code Long} and
 * {@code BigDecimal} for the numbers; {@code Boolean}; {@code LocalDate}; {@code OffsetDateTime}; {@code UUID}; a
 * {@code List<UUID>} for references; and the JSON text for json. Turning wire input into that form (strictly, without coercion) is the record component's job.
 *
 * @param name         the field's name in JSON (camelCase)
 * @param column       the column's name in SQL (snake_case)
 * @param type         the declared type
 * @param required     a value must be present on create and may never be null
 * @param unique       no two records may share a value
 * @param readOnly     clients may not set it; it keeps its default
 * @param indexed      a single-column index is created for it
 * @param minLength    for string/text: fewest characters (Unicode code points), or null
 * @param maxLength    for string/text: most characters; string fields always have one (default 255)
 * @param pattern      for string/text: a regular expression the whole value must match, or null
 * @param min          for numbers: smallest allowed value, or null
 * @param max          for numbers: largest allowed value, or null
 * @param precision    for decimal: total significant digits
 * @param scale        for decimal: digits after the decimal point
 * @param values       for enum: the allowed values, in order
 * @param defaultValue the value used when a create omits the field, in its Java form, or null
 * @param description  free text for documentation, or null
 * @param reference    for reference fields: the resource referred to and what a deletion of it does; else null
 * @param pii          whether it holds personal data: marked in the OpenAPI document ({@code x-pii}) and never
 *                     written to logs (docs/security.md)
 * @param renamedFrom  the field's previous name when it was renamed (a schema plan then renames the column instead of
 *                     dropping one and adding another), or null
 * @param backfill     a SQL expression giving existing rows a value when the field becomes required (trusted, like a
 *                     hand-written migration; it may use the row's other columns), or null
 */
public record FieldDefinition(
        String name,
        String column,
        FieldType type,
        boolean required,
        boolean unique,
        boolean readOnly,
        boolean indexed,
        Integer minLength,
        Integer maxLength,
        Pattern pattern,
        BigDecimal min,
        BigDecimal max,
        Integer precision,
        Integer scale,
        List<String> values,
        Object defaultValue,
        String description,
        Reference reference,
        boolean pii,
        String renamedFrom,
        String backfill) {

    /** A field with no migration hints (no {@code renamedFrom}, no {@code backfill}). */
    public FieldDefinition(String name, String column, FieldType type, boolean required, boolean unique, boolean readOnly,
                           boolean indexed, Integer minLength, Integer maxLength, Pattern pattern, BigDecimal min,
                           BigDecimal max, Integer precision, Integer scale, List<String> values, Object defaultValue,
                           String description, Reference reference, boolean pii) {
        this(name, column, type, required, unique, readOnly, indexed, minLength, maxLength, pattern, min, max, precision,
                scale, values, defaultValue, description, reference, pii, null, null);
    }

    /**
     * A reference to another resource's records.
     *
     * @param to       the referenced resource's name
     * @param onDelete what deleting a referenced record does to the records that refer to it
     * @param maxItems for a {@code references} field, the most ids one record may hold; else null
     */
    public record Reference(String to, OnDelete onDelete, Integer maxItems) {
        public Reference(String to, OnDelete onDelete) {
            this(to, onDelete, null);
        }
    }

    /** The foreign key's ON DELETE rule. */
    public enum OnDelete {
        /** Refuse to delete a record that others refer to (the default). */
        RESTRICT("restrict"),
        /** Delete the records that refer to it too. */
        CASCADE("cascade"),
        /** Clear the reference (the field must be optional). */
        SET_NULL("setNull"),
        /** For a {@code references} field: remove the deleted record's id from the list of every record holding it. */
        UNLINK("unlink");

        private final String yamlName;

        OnDelete(String yamlName) {
            this.yamlName = yamlName;
        }

        /** The name used in definition files. */
        public String yamlName() {
            return yamlName;
        }
    }

    public FieldDefinition {
        values = values == null ? List.of() : List.copyOf(values);
    }

    /** Whether a create request may leave this field out. */
    public boolean optionalOnCreate() {
        return !required || defaultValue != null;
    }

    /**
     * Checks a value that already has this field's Java type against the declared constraints.
     *
     * @return one readable message per violated constraint; empty when the value is acceptable
     */
    public List<String> violationsOf(Object value) {
        List<String> problems = new ArrayList<>();
        switch (type) {
            case STRING, TEXT -> checkCharacters((String) value, problems);
            case INTEGER, LONG, DECIMAL -> checkNumber(toBigDecimal(value), problems);
            case ENUM -> {
                if (!values.contains((String) value)) {
                    problems.add("must be one of " + String.join(", ", values));
                }
            }
            case REFERENCES -> {
                List<?> ids = (List<?>) value;
                if (required && ids.isEmpty()) {
                    problems.add("must hold at least one id");
                }
                if (reference != null && reference.maxItems() != null && ids.size() > reference.maxItems()) {
                    problems.add("must hold at most " + reference.maxItems() + " ids");
                }
                if (new java.util.HashSet<>(ids).size() < ids.size()) {
                    problems.add("must not repeat an id");
                }
            }
            default -> { }
        }
        return problems;
    }

    private void checkCharacters(String text, List<String> problems) {
        int length = text.codePointCount(0, text.length());
        if (minLength != null && length < minLength) {
            problems.add("must be at least " + minLength + " characters long");
        }
        if (maxLength != null && length > maxLength) {
            problems.add("must be at most " + maxLength + " characters long");
        }
        if (pattern != null && !pattern.matcher(text).matches()) {
            problems.add("must match the pattern " + pattern.pattern());
        }
    }

    private void checkNumber(BigDecimal number, List<String> problems) {
        if (min != null && number.compareTo(min) < 0) {
            problems.add("must be at least " + min.toPlainString());
        }
        if (max != null && number.compareTo(max) > 0) {
            problems.add("must be at most " + max.toPlainString());
        }
        if (type == FieldType.DECIMAL) {
            BigDecimal stripped = number.stripTrailingZeros();
            int fractionDigits = Math.max(stripped.scale(), 0);
            int integerDigits = Math.max(stripped.precision() - stripped.scale(), 0);
            if (fractionDigits > scale) {
                problems.add("must have at most " + scale + " digits after the decimal point");
            }
            if (integerDigits > precision - scale) {
                problems.add("must have at most " + (precision - scale) + " digits before the decimal point");
            }
        }
    }

    private static BigDecimal toBigDecimal(Object value) {
        return switch (value) {
            case BigDecimal decimal -> decimal;
            case Integer i -> BigDecimal.valueOf(i);
            case Long l -> BigDecimal.valueOf(l);
            default -> throw new IllegalArgumentException("not a number: " + value.getClass().getName());
        };
    }
}
