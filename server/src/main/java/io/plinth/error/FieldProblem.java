package io.plinth.error;

/**
 * One problem with one input field or parameter.
 *
 * @param field   the field's name as the client sent it
 * @param message what is wrong, readable on its own
 */
public record FieldProblem(String field, String message) {
}
