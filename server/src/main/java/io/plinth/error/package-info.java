/**
 * Plinth's one error model: a closed set of {@link io.plinth.error.ErrorCode}s and the
 * {@link io.plinth.error.PlinthException} that carries one, with a readable sentence and per-field details. Every
 * component raises these; only the api component turns them into HTTP responses.
 */
package io.plinth.error;
