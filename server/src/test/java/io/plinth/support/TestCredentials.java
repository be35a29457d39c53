package io.plinth.support;

/**
 * The credentials every test instance of Plinth starts with: the first admin's password and a configured admin API
 * key. {@link Http} sends the key unless a test asks for an anonymous client. The secrets-in-logs test checks that
 * neither appears in any log line.
 */
public final class TestCredentials {

    /** The password of the user admin. */
    public static final String ADMIN_PASSWORD = "test-admin-password-7Qx2";
    /** An API key acting as admin (plinth.security.admin-api-key). */
    public static final String ADMIN_KEY = "plk_test0admin0key0000000000000000000000000000Zq";

    private TestCredentials() {
    }

    /** The command-line arguments that give a standalone Plinth these credentials. */
    public static String[] arguments() {
        return new String[] {"--plinth.security.admin-password=" + ADMIN_PASSWORD,
                "--plinth.security.admin-api-key=" + ADMIN_KEY};
    }
}
