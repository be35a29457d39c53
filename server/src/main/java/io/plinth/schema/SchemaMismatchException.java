package io.plinth.schema;

import java.util.List;

/** Start-up refuses to serve: existing tables do not match their declarations. The message says what differs. */
public final class SchemaMismatchException extends RuntimeException {

    public SchemaMismatchException(List<String> problems) {
        super("The database does not match the resource definitions, so Plinth will not serve them:\n  - "
                + String.join("\n  - ", problems)
                + "\nChanging a declared resource after its table exists is not applied automatically: restore the"
                + " previous declaration, or change the table and its declaration together.");
    }
}
