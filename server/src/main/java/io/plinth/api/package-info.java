/**
 * HTTP only: routes {@code /api/v1/{resource}} to the record and query components, reads bodies within the size
 * limit, and renders every failure, from any layer, as the one error shape
 * {@code {error, code, details, correlationId}} ({@link io.plinth.api.ErrorResponses} is the single place where
 * error codes meet HTTP statuses). No SQL here, and no HTTP type below here.
 */
package io.plinth.api;
