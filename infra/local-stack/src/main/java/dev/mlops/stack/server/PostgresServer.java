package dev.mlops.stack.server;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;

/**
 * A real PostgreSQL server from zonky's binaries on Maven Central; its data stays in {@code --data-dir}
 * between restarts. Creates the role and database if missing.
 * Usage: {@code --port 5432 --data-dir DIR --database mlops --user mlops --password P [--parent-pid N]}
 */
public final class PostgresServer {

    public static void main(String[] argv) throws Exception {
        Args args = new Args(argv);
        ServerLifecycle.exitWithParent(args);
        Path dataDir = Path.of(args.get("data-dir")).toAbsolutePath();
        Files.createDirectories(dataDir.getParent());
        int port = args.port("port");
        EmbeddedPostgres postgres = EmbeddedPostgres.builder()
                .setPort(port)
                .setDataDirectory(dataDir)
                .setCleanDataDirectory(false)
                .setServerConfig("listen_addresses", "127.0.0.1")
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

    private static boolean exists(Connection c, String query, String name) throws Exception {
        try (PreparedStatement ps = c.prepareStatement(query)) {
            ps.setString(1, name);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next();
            }
        }
    }
}
