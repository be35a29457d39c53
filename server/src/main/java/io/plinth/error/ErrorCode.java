package io.plinth.error;

/**
 * Every error code a client can see, in the {@code code} member of an error body. The list is closed: clients may
 * switch on it. The HTTP status of each is fixed by the api component.
 */
public enum ErrorCode {
    /** The request is well-formed but its content breaks the resource's rules (400). */
    VALIDATION_ERROR,
    /** The body is not usable JSON: not JSON, not an object, nested too deep, duplicate keys (400). */
    MALFORMED_REQUEST,
    /** The request carries no valid credentials: none, or an unknown, expired or revoked key or token (401). */
    UNAUTHENTICATED,
    /** The caller is known but may not do this: a role without the action, a field it may not write (403). */
    FORBIDDEN,
    /** Too many requests or failed logins; {@code Retry-After} says when to try again (429). */
    RATE_LIMITED,
    /** No such resource, record or route (404). */
    NOT_FOUND,
    /** The route exists but not for this HTTP method (405). */
    METHOD_NOT_ALLOWED,
    /** The client accepts no representation Plinth can produce (406). */
    NOT_ACCEPTABLE,
    /** The write conflicts with stored data, e.g. a unique value already taken (409). */
    CONFLICT,
    /** The lifecycle does not allow this transition from the record's current state (409). */
    INVALID_TRANSITION,
    /** The record is in a read-only state of its lifecycle (409). */
    RECORD_READ_ONLY,
    /** If-Match names a version the record no longer has (412). */
    PRECONDITION_FAILED,
    /** The resource requires If-Match on writes and the request has none (428). */
    PRECONDITION_REQUIRED,
    /** An Idempotency-Key was used before with a different request body (422). */
    IDEMPOTENCY_KEY_REUSED,
    /** The body is larger than the configured limit (413). */
    PAYLOAD_TOO_LARGE,
    /** The body's media type is not JSON (415). */
    UNSUPPORTED_MEDIA_TYPE,
    /** A dependency (the database) is unreachable; retry later (503). */
    SERVICE_UNAVAILABLE,
    /** The resource is in read-only maintenance (its flag is on): reads work, writes wait (503). */
    MAINTENANCE,
    /** Something failed inside Plinth; nothing about it is revealed (500). */
    INTERNAL_ERROR
}
