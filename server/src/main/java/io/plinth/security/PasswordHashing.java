package io.plinth.security;

import java.util.Map;
import org.springframework.security.crypto.argon2.Argon2PasswordEncoder;
import org.springframework.security.crypto.bcrypt.BCryptPasswordEncoder;
import org.springframework.security.crypto.password.DelegatingPasswordEncoder;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.stereotype.Component;

/**
 * Password hashes: Argon2id (Spring Security's 5.8 defaults: 16 MiB, 2 iterations), bcrypt still accepted for
 * imported hashes. A check against an unknown user still costs one hash, so that timing does not reveal which names
 * exist.
 */
@Component
class PasswordHashing {

    private final PasswordEncoder encoder = new DelegatingPasswordEncoder("argon2", Map.of(
            "argon2", Argon2PasswordEncoder.defaultsForSpringSecurity_v5_8(),
            "bcrypt", new BCryptPasswordEncoder()));
    /** Hashed on first use, not at start-up (an Argon2 hash is 100-300 ms of CPU). */
    private volatile String decoy;

    String hash(String password) {
        return encoder.encode(password);
    }

    /** Whether the password matches the stored hash; with a null hash, spends the same time and says no. */
    boolean matches(String password, String hash) {
        if (hash == null) {
            if (decoy == null) {
                decoy = encoder.encode(Tokens.random());
            }
            encoder.matches(password, decoy);
            return false;
        }
        return encoder.matches(password, hash);
    }
}
