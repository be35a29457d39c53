package io.plinth.security;

/**
 * The character rules of Spring Security's {@code StrictHttpFirewall} for header names, header values and parameter
 * names, written as loops. The firewall's own are the expressions {@code [\p{IsAssigned}&&[^\p{IsControl}]]*} and
 * {@code [\p{IsAssigned}&&[[^\p{IsControl}]||\t]]*}: every code point assigned in Unicode and not a control character
 * (a tab allowed in values). {@code FirewallRulesTest} compares both over every code point.
 */
final class FirewallRules {

    private FirewallRules() {
    }

    static boolean assignedAndNotControl(String text) {
        return matches(text, false);
    }

    static boolean headerValue(String text) {
        return matches(text, true);
    }

    private static boolean matches(String text, boolean tabAllowed) {
        for (int i = 0; i < text.length(); ) {
            int codePoint = text.codePointAt(i);
            if (!allowed(codePoint, tabAllowed)) {
                return false;
            }
            i += Character.charCount(codePoint);
        }
        return true;
    }

    private static boolean allowed(int codePoint, boolean tabAllowed) {
        if (codePoint >= 0x20 && codePoint < 0x7f) {
            return true;
        }
        if (codePoint == '\t') {
            return tabAllowed;
        }
        return Character.isDefined(codePoint) && !Character.isISOControl(codePoint);
    }
}
