/**
 * The lifecycle rules of a record: which transitions its resource allows from its current state, and whether its
 * current state still allows edits. Reads the definition's {@link io.plinth.definition.Lifecycle}; raises
 * INVALID_TRANSITION and RECORD_READ_ONLY. Depends on definition, record and error.
 */
package io.plinth.lifecycle;
