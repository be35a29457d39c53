package io.plinth.schema;

/** A schema apply or rollback that was refused before it changed anything; the reason says which rule stopped it. */
public final class SchemaRefusedException extends RuntimeException {

    /** Why. */
    public enum Reason {
        /** Steps that the data does not allow (violating rows, rows without a value, an unmanaged table). */
        REFUSED_BY_DATA,
        /** Destructive steps without {@code --allow-destructive}. */
        DESTRUCTIVE,
        /** The plan is not the one reviewed ({@code --expect} checksum differs). */
        PLAN_CHANGED,
        /** The rollback would cross a version that cannot be undone, or whose backup tables were purged. */
        NOT_REVERSIBLE
    }

    private final Reason reason;
    private final transient SchemaPlan plan;

    public SchemaRefusedException(Reason reason, String message, SchemaPlan plan) {
        super(message);
        this.reason = reason;
        this.plan = plan;
    }

    public Reason reason() {
        return reason;
    }

    /** The plan that was refused, or null for a rollback. */
    public SchemaPlan plan() {
        return plan;
    }
}
