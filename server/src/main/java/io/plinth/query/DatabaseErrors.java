package io.plinth.query;

import io.plinth.definition.FieldDefinition;
import io.plinth.error.ErrorCode;
import io.plinth.error.FieldProblem;
import io.plinth.error.PlinthException;
import io.plinth.schema.ResourceTable;
import java.net.ConnectException;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.postgresql.util.PSQLException;

/**
 * Turns database failures into Plinth's error codes by their SQLSTATE. Anything not recognised is rethrown as is and
 * becomes an INTERNAL_ERROR whose details stay in the log.
 */
final class DatabaseErrors {

    /** What the failing work was doing: it decides what a broken reference means. */
    enum Operation { READ, WRITE, DELETE }

    /** A reference field with its resource, found by its foreign key's name. */
    record Reference(ResourceTable table, FieldDefinition field) {
    }

    private final Map<String, Reference> foreignKeys;

    DatabaseErrors(Map<String, Reference> foreignKeys) {
        this.foreignKeys = Map.copyOf(foreignKeys);
    }

    <T> T translate(ResourceTable table, Operation operation, Supplier<T> work) {
        try {
            return work.get();
        } catch (RuntimeException e) {
            throw translated(table, operation, e);
        }
    }

    private RuntimeException translated(ResourceTable table, Operation operation, RuntimeException failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof SQLTransientConnectionException || cause instanceof ConnectException) {
                return unavailable(failure);
            }
            if (cause instanceof SQLException sql && sql.getSQLState() != null) {
                String state = sql.getSQLState();
                if ("23505".equals(state)) {
                    return conflict(table, sql, failure);
                }
                if ("23503".equals(state) || "23001".equals(state)) {
                    return brokenReference(table, operation, sql, failure);
                }
                if (state.startsWith("08") || state.startsWith("57P") || "53300".equals(state)) {
                    return unavailable(failure);
                }
                if (state.startsWith("23") || state.startsWith("22")) {
                    return new PlinthException(ErrorCode.VALIDATION_ERROR,
                            "The " + table.resource().name() + " breaks a rule of its table.", List.of(), failure);
                }
            }
        }
        return failure;
    }

    private static PlinthException conflict(ResourceTable table, SQLException sql, RuntimeException failure) {
        String constraint = sql instanceof PSQLException psql && psql.getServerErrorMessage() != null
                ? psql.getServerErrorMessage().getConstraint()
                : null;
        List<FieldDefinition> fields = constraint == null ? List.of() : table.fieldsOfConstraint(constraint).orElse(List.of());
        List<FieldProblem> details = fields.stream()
                .map(f -> new FieldProblem(f.name(), fields.size() == 1
                        ? "is already taken by another " + table.resource().name()
                        : "this combination of " + fields.stream().map(FieldDefinition::name).toList()
                                + " is already taken by another " + table.resource().name()))
                .toList();
        return new PlinthException(ErrorCode.CONFLICT, details.isEmpty()
                ? "Another " + table.resource().name() + " already has these unique values."
                : "Another " + table.resource().name() + " already has this "
                        + String.join(" and ", fields.stream().map(FieldDefinition::name).toList()) + ".",
                details, failure);
    }

    private PlinthException brokenReference(ResourceTable table, Operation operation, SQLException sql,
                                            RuntimeException failure) {
        String constraint = sql instanceof PSQLException psql && psql.getServerErrorMessage() != null
                ? psql.getServerErrorMessage().getConstraint() : null;
        Reference reference = constraint == null ? null : foreignKeys.get(constraint);
        if (reference == null) {
            return new PlinthException(ErrorCode.CONFLICT, "The change would break a reference between records.",
                    List.of(), failure);
        }
        String relation = reference.table().resource().name() + "." + reference.field().name();
        if (operation == Operation.DELETE) {
            return new PlinthException(ErrorCode.CONFLICT, "Other records refer to this " + table.resource().name()
                    + " (" + relation + "); delete or change them first.",
                    List.of(new FieldProblem(relation, "refers to this " + table.resource().name())), failure);
        }
        String target = reference.field().reference().to();
        return new PlinthException(ErrorCode.VALIDATION_ERROR, "The " + table.resource().name() + " refers to a "
                + target + " that does not exist.",
                List.of(new FieldProblem(reference.field().name(), "refers to a " + target + " that does not exist")),
                failure);
    }

    private static PlinthException unavailable(RuntimeException failure) {
        return new PlinthException(ErrorCode.SERVICE_UNAVAILABLE,
                "The database cannot be reached right now; retry shortly.", List.of(), failure);
    }
}
