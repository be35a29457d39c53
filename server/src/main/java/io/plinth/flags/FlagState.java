package io.plinth.flags;

import java.time.OffsetDateTime;
import java.util.List;

/**
 * The current setting of a flag.
 *
 * @param name           the flag
 * @param enabled        whether it is on at all
 * @param rolloutPercent the share (0-100) of targeting keys it is on for, when enabled
 * @param roles          the roles it is on for, when enabled; empty for every role
 * @param updatedAt      when it was last changed, or null if never (its declared default)
 * @param updatedBy      who changed it last, or null
 * @param version        1 for the declared default, +1 per change
 */
public record FlagState(String name, boolean enabled, int rolloutPercent, List<String> roles, OffsetDateTime updatedAt,
                        String updatedBy, long version) {

    public FlagState {
        roles = List.copyOf(roles);
    }

    /** The state of a flag nobody has changed. */
    static FlagState initial(FlagDefinition definition) {
        return new FlagState(definition.name(), definition.defaultEnabled(), 100, List.of(), null, null, 0);
    }
}
