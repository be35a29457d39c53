package io.plinth.lifecycle;

import io.plinth.definition.Lifecycle;
import io.plinth.definition.ResourceDefinition;
import io.plinth.error.ErrorCode;
import io.plinth.error.FieldProblem;
import io.plinth.error.PlinthException;
import io.plinth.record.StoredRecord;
import java.util.List;

/** Checks a record's moves and edits against its resource's lifecycle. */
public final class TransitionRules {

    private TransitionRules() {
    }

    /**
     * Refuses a change of fields while the record is in a read-only state.
     *
     * @throws PlinthException RECORD_READ_ONLY
     */
    public static void checkEditable(ResourceDefinition resource, StoredRecord current) {
        if (!resource.lifecycle().isEditable(current.status())) {
            throw new PlinthException(ErrorCode.RECORD_READ_ONLY, "The " + resource.name() + " is " + current.status()
                    + ", a read-only state: its fields cannot be changed.");
        }
    }

    /**
     * Refuses a transition the lifecycle does not allow from the record's current state; the details name the states
     * it may move to.
     *
     * @throws PlinthException VALIDATION_ERROR for an unknown state, INVALID_TRANSITION for a move not allowed
     */
    public static void checkTransition(ResourceDefinition resource, StoredRecord current, String to) {
        Lifecycle lifecycle = resource.lifecycle();
        if (!lifecycle.states().contains(to)) {
            throw new PlinthException(ErrorCode.VALIDATION_ERROR, "'" + to + "' is not a state of " + resource.name() + ".",
                    List.of(new FieldProblem("to", "must be one of " + String.join(", ", lifecycle.states()))));
        }
        if (!lifecycle.allows(current.status(), to)) {
            List<String> targets = lifecycle.targetsFrom(current.status());
            throw new PlinthException(ErrorCode.INVALID_TRANSITION, "Cannot move " + resource.nameWithArticle() + " from "
                    + current.status() + " to " + to + (targets.isEmpty()
                    ? "; " + current.status() + " is final." : "; allowed: " + String.join(", ", targets) + "."),
                    List.of(new FieldProblem("to", targets.isEmpty()
                            ? "no transition is allowed from " + current.status()
                            : "allowed from " + current.status() + ": " + String.join(", ", targets))));
        }
    }
}
