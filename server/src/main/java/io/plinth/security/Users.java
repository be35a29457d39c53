package io.plinth.security;

import io.plinth.definition.ResourceCatalog;
import io.plinth.definition.RoleDefinition;
import io.plinth.error.ErrorCode;
import io.plinth.error.FieldProblem;
import io.plinth.error.PlinthException;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Pattern;
import org.jooq.DSLContext;
import org.jooq.Record;
import org.springframework.stereotype.Component;

/** The local users: created, changed and removed by administrators; each may change their own password. */
@Component
public class Users {

    /** Shortest password accepted (NIST SP 800-63B asks at least 8; Plinth asks more). */
    public static final int MIN_PASSWORD_LENGTH = 12;
    /** Longest password accepted; Argon2 hashes any length, the limit only bounds the work. */
    public static final int MAX_PASSWORD_LENGTH = 200;
    private static final Pattern USERNAME = Pattern.compile("[a-zA-Z0-9][a-zA-Z0-9._@-]{0,99}");

    private final DSLContext db;
    private final PasswordHashing hashing;
    private final ResourceCatalog catalog;
    private final CredentialCache cache;

    Users(DSLContext db, PasswordHashing hashing, ResourceCatalog catalog, CredentialCache cache) {
        this.db = db;
        this.hashing = hashing;
        this.catalog = catalog;
        this.cache = cache;
    }

    /** Every user, by name. */
    public List<UserAccount> list() {
        return db.fetch("select * from plinth_user order by username").map(Users::account);
    }

    /** The user with this name. */
    public Optional<UserAccount> find(String username) {
        return db.fetchOptional("select * from plinth_user where username = ?", username).map(Users::account);
    }

    /** The user with this id. */
    public Optional<UserAccount> find(UUID id) {
        return db.fetchOptional("select * from plinth_user where id = ?", id).map(Users::account);
    }

    /** Creates a user; 409 CONFLICT when the name is taken. */
    public UserAccount create(String username, String password, Collection<String> roles) {
        List<FieldProblem> problems = new ArrayList<>();
        if (username == null || !USERNAME.matcher(username).matches()) {
            problems.add(new FieldProblem("username", "must be 1-100 letters, digits, '.', '_', '@' or '-', "
                    + "starting with a letter or digit"));
        }
        checkPassword("password", password, problems);
        Set<String> checkedRoles = checkRoles(roles, problems);
        if (!problems.isEmpty()) {
            throw new PlinthException(ErrorCode.VALIDATION_ERROR, "The user cannot be created as given.", problems);
        }
        Record row = db.fetchOne("insert into plinth_user (username, password_hash, roles) values (?, ?, ?::text[]) "
                + "on conflict (username) do nothing returning *", username, hashing.hash(password),
                checkedRoles.toArray(String[]::new));
        if (row == null) {
            throw new PlinthException(ErrorCode.CONFLICT, "A user named " + username + " already exists.",
                    List.of(new FieldProblem("username", "is taken")));
        }
        return account(row);
    }

    /**
     * Changes a user's roles, disabled flag or password (each when not null). Disabling a user or setting a password
     * ends their web sessions.
     */
    public UserAccount update(String username, Collection<String> roles, Boolean disabled, String password) {
        UserAccount user = find(username).orElseThrow(() -> notFound(username));
        List<FieldProblem> problems = new ArrayList<>();
        Set<String> checkedRoles = roles == null ? null : checkRoles(roles, problems);
        if (password != null) {
            checkPassword("password", password, problems);
        }
        if (!problems.isEmpty()) {
            throw new PlinthException(ErrorCode.VALIDATION_ERROR, "The user cannot be changed as given.", problems);
        }
        if (checkedRoles != null) {
            db.execute("update plinth_user set roles = ?::text[], updated_at = now() where id = ?",
                    checkedRoles.toArray(String[]::new), user.id());
        }
        if (disabled != null) {
            db.execute("update plinth_user set disabled = ?, updated_at = now() where id = ?", disabled, user.id());
        }
        if (password != null) {
            setPassword(user.id(), password);
        }
        if (Boolean.TRUE.equals(disabled) || password != null) {
            db.execute("delete from plinth_session where user_id = ?", user.id());
        }
        cache.forgetAll();
        return find(user.id()).orElseThrow(() -> notFound(username));
    }

    /** Removes a user with their keys and sessions; refuses to remove the last enabled admin. */
    public void delete(String username) {
        UserAccount user = find(username).orElseThrow(() -> notFound(username));
        if (user.roles().contains(RoleDefinition.ADMIN) && !user.disabled() && db.fetchOne(
                "select count(*) from plinth_user where 'admin' = any(roles) and not disabled").get(0, Integer.class) <= 1) {
            throw new PlinthException(ErrorCode.CONFLICT, "The last enabled admin cannot be removed.");
        }
        db.execute("delete from plinth_user where id = ?", user.id());
        cache.forgetAll();
    }

    /** A user changes their own password: the current one must be right; their other sessions end. */
    public void changeOwnPassword(UUID userId, String current, String replacement, String keepSessionHash) {
        Record row = db.fetchOptional("select password_hash from plinth_user where id = ?", userId)
                .orElseThrow(() -> new PlinthException(ErrorCode.NOT_FOUND, "The user no longer exists."));
        if (current == null || !hashing.matches(current, row.get(0, String.class))) {
            throw new PlinthException(ErrorCode.VALIDATION_ERROR, "The current password is not right.",
                    List.of(new FieldProblem("currentPassword", "is not the current password")));
        }
        List<FieldProblem> problems = new ArrayList<>();
        checkPassword("newPassword", replacement, problems);
        if (!problems.isEmpty()) {
            throw new PlinthException(ErrorCode.VALIDATION_ERROR, "The new password is not acceptable.", problems);
        }
        setPassword(userId, replacement);
        db.execute("delete from plinth_session where user_id = ? and token_hash <> coalesce(?, '')", userId,
                keepSessionHash);
        cache.forgetAll();
    }

    /** Creates the first admin when there is no user at all; returns whether it did. Safe with several instances. */
    boolean createFirstAdmin(String password) {
        if (db.fetchExists(db.selectOne().from(org.jooq.impl.DSL.table(org.jooq.impl.DSL.name("plinth_user"))))) {
            return false; // the usual start: no password hash to spend
        }
        return db.fetchOptional("insert into plinth_user (username, password_hash, roles) select 'admin', ?, ?::text[] "
                        + "where not exists (select 1 from plinth_user) on conflict (username) do nothing returning id",
                hashing.hash(password), new String[] {RoleDefinition.ADMIN}).isPresent();
    }

    /** The user to log in as, with its password hash, or empty. */
    Optional<Record> credentials(String username) {
        return db.fetchOptional("select id, username, password_hash, roles, disabled from plinth_user where username = ?",
                username);
    }

    void recordLogin(UUID userId) {
        db.execute("update plinth_user set last_login_at = now() where id = ?", userId);
    }

    private void setPassword(UUID userId, String password) {
        db.execute("update plinth_user set password_hash = ?, password_changed_at = now(), updated_at = now() "
                + "where id = ?", hashing.hash(password), userId);
    }

    private Set<String> checkRoles(Collection<String> roles, List<FieldProblem> problems) {
        Set<String> checked = new LinkedHashSet<>();
        if (roles == null) {
            return checked;
        }
        for (String role : roles) {
            if (role == null || !(role.equals(RoleDefinition.ADMIN) || catalog.role(role).isPresent())) {
                List<String> known = new ArrayList<>(List.of(RoleDefinition.ADMIN));
                catalog.roles().forEach(r -> known.add(r.name()));
                problems.add(new FieldProblem("roles", "'" + role + "' is not a declared role; declared: "
                        + String.join(", ", known)));
            } else {
                checked.add(role);
            }
        }
        return checked;
    }

    static void checkPassword(String field, String password, List<FieldProblem> problems) {
        if (password == null || password.length() < MIN_PASSWORD_LENGTH) {
            problems.add(new FieldProblem(field, "must have at least " + MIN_PASSWORD_LENGTH + " characters"));
        } else if (password.length() > MAX_PASSWORD_LENGTH) {
            problems.add(new FieldProblem(field, "must have at most " + MAX_PASSWORD_LENGTH + " characters"));
        }
    }

    private static PlinthException notFound(String username) {
        return new PlinthException(ErrorCode.NOT_FOUND, "No user is named " + printable(username) + ".");
    }

    /** Echoes a client-given name in a message only when it is short and plain. */
    public static String printable(String text) {
        return text != null && text.length() <= 100 && text.chars().allMatch(c -> c >= 0x20 && c < 0x7f
                && c != '"' && c != '\\') ? text : "(the given name)";
    }

    private static UserAccount account(Record row) {
        return new UserAccount(row.get("id", UUID.class), row.get("username", String.class),
                List.of(row.get("roles", String[].class)), row.get("disabled", Boolean.class),
                row.get("created_at", OffsetDateTime.class), row.get("updated_at", OffsetDateTime.class),
                row.get("last_login_at", OffsetDateTime.class));
    }
}
