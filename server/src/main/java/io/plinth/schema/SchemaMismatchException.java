package io.plinth.schema;

/** Start-up refuses to serve: the tables do not match the declarations. The message holds the plan that would. */
public final class SchemaMismatchException extends RuntimeException {

    private final transient SchemaPlan plan;

    public SchemaMismatchException(SchemaPlan plan, boolean autoApply) {
        super("The database does not match the resource definitions, so Plinth will not serve them. "
                + (plan.refusals().isEmpty()
                ? (autoApply ? "The plan is not all safe, so it is not applied at start-up."
                        : "Applying schema changes at start-up is off (plinth.schema.auto-apply).")
                : "Some steps are refused.")
                + "\n\n" + plan.text()
                + "\nReview it with `java -jar plinth.jar schema plan` and apply it with `java -jar plinth.jar schema apply`"
                + " (destructive steps need --allow-destructive), or restore the previous declaration.");
        this.plan = plan;
    }

    /** The plan that start-up did not apply. */
    public SchemaPlan plan() {
        return plan;
    }
}
