package io.plinth.definition;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.format.ResolverStyle;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * The one textual form of each typed value, strict and shared by every input path: JSON bodies, query parameters,
 * cursors and declared defaults. Each method throws {@link IllegalArgumentException} with a message fit for a client.
 */
public final class ValueText {

    private static final Pattern UUID_TEXT =
            Pattern.compile("[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}");
    private static final Pattern DATE_TEXT = Pattern.compile("\\d{4}-\\d{2}-\\d{2}");
    private static final Pattern TIMESTAMP_TEXT =
            Pattern.compile("\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}(:\\d{2}(\\.\\d{1,9})?)?(Z|[+-]\\d{2}:\\d{2})");
    private static final Pattern TOO_PRECISE = Pattern.compile(".*\\.\\d{7,}.*");
    private static final Pattern INTEGER_TEXT = Pattern.compile("-?(0|[1-9]\\d{0,30})");
    private static final Pattern DECIMAL_TEXT = Pattern.compile("-?(0|[1-9]\\d{0,999})(\\.\\d{1,1000})?");
    private static final DateTimeFormatter STRICT_DATE = DateTimeFormatter.ofPattern("uuuu-MM-dd")
            .withResolverStyle(ResolverStyle.STRICT);
    private static final BigInteger INT_MIN = BigInteger.valueOf(Integer.MIN_VALUE);
    private static final BigInteger INT_MAX = BigInteger.valueOf(Integer.MAX_VALUE);
    private static final BigInteger LONG_MIN = BigInteger.valueOf(Long.MIN_VALUE);
    private static final BigInteger LONG_MAX = BigInteger.valueOf(Long.MAX_VALUE);

    private ValueText() {
    }

    /** A value of a field's type from text (query parameters, cursors, defaults); json fields have no text form. */
    public static Object parse(FieldType type, String text) {
        return switch (type) {
            case STRING, TEXT, ENUM -> text;
            case INTEGER -> integer(integerText(text)).intValue();
            case LONG -> longValue(integerText(text)).longValue();
            case DECIMAL -> {
                if (!DECIMAL_TEXT.matcher(text).matches()) {
                    throw new IllegalArgumentException("must be a decimal number like 12.50");
                }
                yield new BigDecimal(text);
            }
            case BOOLEAN -> switch (text) {
                case "true" -> Boolean.TRUE;
                case "false" -> Boolean.FALSE;
                default -> throw new IllegalArgumentException("must be true or false");
            };
            case DATE -> date(text);
            case TIMESTAMP -> timestamp(text);
            case UUID, REFERENCE, REFERENCES -> uuid(text);
            case JSON -> throw new IllegalArgumentException("json values have no text form here");
        };
    }

    /** A 32-bit integer, with its range in the message when out of range. */
    public static BigInteger integer(BigInteger value) {
        return inRange(value, INT_MIN, INT_MAX, "a 32-bit integer");
    }

    /** A 64-bit integer, with its range in the message when out of range. */
    public static BigInteger longValue(BigInteger value) {
        return inRange(value, LONG_MIN, LONG_MAX, "a 64-bit integer");
    }

    /** A calendar date, YYYY-MM-DD, years 0001 to 9999. */
    public static LocalDate date(String text) {
        try {
            if (!DATE_TEXT.matcher(text).matches()) {
                throw new DateTimeParseException("shape", text, 0);
            }
            LocalDate date = LocalDate.parse(text, STRICT_DATE);
            if (date.getYear() < 1) {
                throw new DateTimeParseException("year", text, 0);
            }
            return date;
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException("must be a calendar date as YYYY-MM-DD (years 0001 to 9999)");
        }
    }

    /** An ISO 8601 timestamp with an offset and at most microsecond precision, years 0001 to 9999. */
    public static OffsetDateTime timestamp(String text) {
        if (TOO_PRECISE.matcher(text).matches()) {
            throw new IllegalArgumentException("has more than 6 fractional digits: timestamps are stored to the microsecond");
        }
        try {
            if (!TIMESTAMP_TEXT.matcher(text).matches()) {
                throw new DateTimeParseException("shape", text, 0);
            }
            OffsetDateTime timestamp = OffsetDateTime.parse(text, DateTimeFormatter.ISO_OFFSET_DATE_TIME);
            if (timestamp.getYear() < 1) {
                throw new DateTimeParseException("year", text, 0);
            }
            return timestamp;
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException(
                    "must be an ISO 8601 timestamp with an offset, e.g. 2026-01-31T12:00:00Z (years 0001 to 9999)");
        }
    }

    /** A UUID in its 8-4-4-4-12 hexadecimal form, either case. */
    public static UUID uuid(String text) {
        if (!UUID_TEXT.matcher(text).matches()) {
            throw new IllegalArgumentException("must be a UUID like 123e4567-e89b-12d3-a456-426614174000");
        }
        return UUID.fromString(text);
    }

    private static BigInteger integerText(String text) {
        if (!INTEGER_TEXT.matcher(text).matches()) {
            throw new IllegalArgumentException("must be a whole number");
        }
        return new BigInteger(text);
    }

    private static BigInteger inRange(BigInteger value, BigInteger lowest, BigInteger highest, String expected) {
        if (value.compareTo(lowest) < 0 || value.compareTo(highest) > 0) {
            throw new IllegalArgumentException("must be " + expected + " (between " + lowest + " and " + highest + ")");
        }
        return value;
    }
}
