package io.plinth.api;

import io.plinth.query.VersionCheck;
import java.util.HashSet;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A record's version as an HTTP entity tag ({@code ETag: "3"}), and the {@code If-Match} / {@code If-None-Match}
 * headers read back into versions. Tags are strong: a weak tag ({@code W/"3"}) never matches If-Match (RFC 9110
 * 13.1.1 uses the strong comparison there).
 */
final class EntityTags {

    private static final Pattern TAG = Pattern.compile("\\s*(W/)?\"([^\"]*)\"\\s*");

    private EntityTags() {
    }

    static String of(long version) {
        return "\"" + version + "\"";
    }

    /** The versions If-Match accepts; absent header means no check. Unreadable tags match nothing. */
    static VersionCheck ifMatch(String header) {
        if (header == null || header.isBlank()) {
            return VersionCheck.none();
        }
        if (header.strip().equals("*")) {
            return new VersionCheck(true, Set.of());
        }
        Set<Long> versions = new HashSet<>();
        for (String part : header.split(",")) {
            Matcher matcher = TAG.matcher(part);
            if (matcher.matches() && matcher.group(1) == null) {
                parse(matcher.group(2), versions);
            }
        }
        // Present but naming no usable version: it must fail, not be ignored.
        return versions.isEmpty() ? new VersionCheck(false, Set.of(-1L)) : new VersionCheck(false, versions);
    }

    /** Whether If-None-Match (weak comparison) names this version or is {@code *}. */
    static boolean noneMatchHits(String header, long version) {
        if (header == null || header.isBlank()) {
            return false;
        }
        if (header.strip().equals("*")) {
            return true;
        }
        for (String part : header.split(",")) {
            Matcher matcher = TAG.matcher(part);
            if (matcher.matches() && matcher.group(2).equals(Long.toString(version))) {
                return true;
            }
        }
        return false;
    }

    private static void parse(String text, Set<Long> versions) {
        try {
            versions.add(Long.parseLong(text));
        } catch (NumberFormatException ignored) {
            // not one of Plinth's tags: it simply matches no version
        }
    }
}
