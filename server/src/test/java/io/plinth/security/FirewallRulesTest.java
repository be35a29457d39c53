package io.plinth.security;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.springframework.security.web.firewall.StrictHttpFirewall;

/** Plinth's loops accept exactly what Spring Security's default firewall expressions accept. */
class FirewallRulesTest {

    @Test
    void agreesWithTheFirewallsExpressionsOnEveryCodePoint() {
        int differences = 0;
        for (int codePoint = 0; codePoint <= Character.MAX_CODE_POINT; codePoint++) {
            String text = "a" + Character.toString(codePoint) + "b";
            if (FirewallRules.assignedAndNotControl(text) != StrictHttpFirewall.ALLOWED_HEADER_NAMES.test(text)
                    || FirewallRules.headerValue(text) != StrictHttpFirewall.ALLOWED_HEADER_VALUES.test(text)
                    || FirewallRules.assignedAndNotControl(text)
                    != StrictHttpFirewall.ALLOWED_PARAMETER_NAMES.test(text)) {
                differences++;
            }
        }
        assertThat(differences).isZero();
    }

    @Test
    void refusesControlsAndUnassignedCodePointsAndLoneSurrogatesLikeTheFirewall() {
        String[] samples = {"", "plain", "tab\there", "nul\u0000", "del\u007f", "c1\u0085", "unassigned\u0378",
                "lone\uD800", "lone\uDC00end", "pair\uD83D\uDE00", "noncharacter\uFFFF", "latin\u00e9", "line\u2028"};
        for (String sample : samples) {
            assertThat(FirewallRules.headerValue(sample)).as(sample)
                    .isEqualTo(StrictHttpFirewall.ALLOWED_HEADER_VALUES.test(sample));
            assertThat(FirewallRules.assignedAndNotControl(sample)).as(sample)
                    .isEqualTo(StrictHttpFirewall.ALLOWED_HEADER_NAMES.test(sample));
        }
        assertThat(FirewallRules.headerValue("c1\u0085")).isFalse();
        assertThat(FirewallRules.headerValue("tab\there")).isTrue();
        assertThat(FirewallRules.assignedAndNotControl("tab\there")).isFalse();
    }
}
