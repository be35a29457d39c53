package io.plinth.query;

import java.util.Set;

/**
 * What a write expects of the stored record's version (from {@code If-Match}): nothing, any existing version
 * ({@code *}), or one of a set of versions.
 *
 * @param any      true for {@code If-Match: *}
 * @param versions acceptable versions; empty with {@code any} false means no check at all
 */
public record VersionCheck(boolean any, Set<Long> versions) {

    public VersionCheck {
        versions = Set.copyOf(versions);
    }

    /** No expectation: the write applies to whatever version is stored. */
    public static VersionCheck none() {
        return new VersionCheck(false, Set.of());
    }

    /** Whether the client stated an expectation at all. */
    public boolean isPresent() {
        return any || !versions.isEmpty();
    }

    /** Whether a record at this version satisfies the expectation. */
    public boolean matches(long version) {
        return !isPresent() || any || versions.contains(version);
    }
}
