package dev.mlops.stack.server;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.HexFormat;

/**
 * A real PostgreSQL server from zonky's binaries on Maven Central; its data stays in {@code --data-dir}
 * between restarts. Creates the role and database if missing. Every login needs a password: zonky's initdb
 * trusts everyone, so the first start gives the superuser a generated password (kept beside the data folder,
 * owner-only) and switches pg_hba.conf to scram-sha-256.
 * Usage: {@code --port 5432 --data-dir DIR --database mlops --user mlops --password P [--parent-pid N]}
 */
public final class PostgresServer {

    public static void main(String[] argv) throws Exception {
        Args args = new Args(argv);
        ServerLifecycle.exitWithParent(args);
        Path dataDir = Path.of(args.get("data-dir")).toAbsolutePath();
        Files.createDirectories(dataDir.getParent());
        int port = args.port("port");
        String superuserPassword = superuserPassword(dataDir);
        EmbeddedPostgres postgres = EmbeddedPostgres.builder()
                .setPort(port)
                .setDataDirectory(dataDir)
                .setCleanDataDirectory(false)
                .setServerConfig("listen_addresses", "127.0.0.1")
                .setConnectConfig("password", superuserPassword)
                .start();
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                postgres.close();
            } catch (Exception e) {
                System.err.println("stopping PostgreSQL: " + e.getMessage());
            }
        }, "postgres-shutdown"));
        String database = args.get("database");
        createRoleAndDatabase(postgres, args.get("user"), args.get("password"), database);
        requirePasswords(postgres, dataDir, superuserPassword);
        ServerLifecycle.ready("postgres jdbc:postgresql://127.0.0.1:" + port + "/" + database);
        ServerLifecycle.awaitForever();
    }

    private static void createRoleAndDatabase(EmbeddedPostgres postgres, String user, String password, String database)
            throws Exception {
        try (Connection c = postgres.getPostgresDatabase().getConnection(); Statement s = c.createStatement()) {
            String quotedPassword = "'" + password.replace("'", "''") + "'";
            if (!exists(c, "select 1 from pg_roles where rolname = ?", user)) {
                s.execute("CREATE ROLE \"" + user + "\" LOGIN PASSWORD " + quotedPassword);
            } else {
                s.execute("ALTER ROLE \"" + user + "\" LOGIN PASSWORD " + quotedPassword);
            }
            if (!exists(c, "select 1 from pg_database where datname = ?", database)) {
                s.execute("CREATE DATABASE \"" + database + "\" OWNER \"" + user + "\"");
            }
        }
    }

    /** The superuser's password, generated on the first start and kept in {@code <data-dir>.superuser}. */
    private static String superuserPassword(Path dataDir) throws Exception {
        Path file = dataDir.resolveSibling(dataDir.getFileName() + ".superuser");
        if (Files.exists(file)) {
            return Files.readString(file).trim();
        }
        byte[] random = new byte[24];
        new SecureRandom().nextBytes(random);
        String password = HexFormat.of().formatHex(random);
        Files.writeString(file, password);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
        return password;
    }

    private static void requirePasswords(EmbeddedPostgres postgres, Path dataDir, String superuserPassword)
            throws Exception {
        try (Connection c = postgres.getPostgresDatabase().getConnection(); Statement s = c.createStatement()) {
            s.execute("ALTER ROLE postgres PASSWORD '" + superuserPassword + "'");
            Files.writeString(dataDir.resolve("pg_hba.conf"), String.join("\n",
                    "# written by dev.mlops.stack.server.PostgresServer: every login needs a password",
                    "local all all scram-sha-256",
                    "host all all 127.0.0.1/32 scram-sha-256",
                    "host all all ::1/128 scram-sha-256", ""));
            s.execute("SELECT pg_reload_conf()");
        }
    }

    private static boolean exists(Connection c, String query, String name) throws Exception {
        try (PreparedStatement ps = c.prepareStatement(query)) {
            ps.setString(1, name);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next();
            }
        }
    }
}
